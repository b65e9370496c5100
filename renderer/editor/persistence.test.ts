import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SaveGroup, UpdateQueue, applyStoredState, describeSaveState, persistYDoc, type SaveState } from './persistence.ts';

/** A storage stand-in whose writes resolve or fail only when the test says so. */
class ControlledDisk {
  written: Uint8Array[] = [];
  calls: { update: Uint8Array; resolve: () => void; reject: (e: Error) => void }[] = [];
  append = (update: Uint8Array): Promise<void> =>
    new Promise((resolve, reject) => {
      this.calls.push({
        update,
        resolve: () => {
          this.written.push(update);
          resolve();
        },
        reject,
      });
    });
  /** Settles the oldest unsettled call. */
  async settle(ok: boolean | string = true): Promise<void> {
    const call = this.calls.shift();
    if (!call) throw new Error('no write in flight');
    if (ok === true) call.resolve();
    else call.reject(new Error(typeof ok === 'string' ? ok : 'disk full'));
    await flush();
  }
}

/** A clock the test advances by hand. */
class ManualClock {
  timers: { at: number; fn: () => void; cancelled: boolean }[] = [];
  now = 0;
  schedule = (fn: () => void, ms: number) => {
    const timer = { at: this.now + ms, fn, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  };
  async advance(ms: number): Promise<void> {
    this.now += ms;
    for (const timer of this.timers.filter((t) => !t.cancelled && t.at <= this.now)) {
      timer.cancelled = true;
      timer.fn();
    }
    await flush();
  }
  get armed(): number[] {
    return this.timers.filter((t) => !t.cancelled).map((t) => t.at - this.now);
  }
}

const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function textDocFrom(updates: Uint8Array[]): string {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc.getText('t').toString();
}

describe('UpdateQueue', () => {
  it('writes updates in order, one at a time, and says saved only when all are on disk', async () => {
    const disk = new ControlledDisk();
    const states: SaveState[] = [];
    const queue = new UpdateQueue({ append: disk.append, maxBatchBytes: 1 });
    queue.subscribe((s) => states.push(s));
    const source = new Y.Doc();
    const updates: Uint8Array[] = [];
    source.on('update', (u: Uint8Array) => updates.push(u));
    source.getText('t').insert(0, 'a');
    source.getText('t').insert(1, 'b');
    source.getText('t').insert(2, 'c');
    for (const u of updates) queue.enqueue(u);

    expect(disk.calls).toHaveLength(1);
    expect(queue.state.status).toBe('saving');
    await disk.settle();
    expect(queue.state.status).toBe('saving');
    expect(disk.calls).toHaveLength(1);
    await disk.settle();
    expect(queue.state.status).toBe('saving');
    await disk.settle();
    expect(queue.state).toEqual({ status: 'saved' });
    expect(disk.written).toEqual(updates);
    expect(states.map((s) => s.status).at(-1)).toBe('saved');
    expect(states.filter((s) => s.status === 'saved')).toHaveLength(1);
  });

  it('merges updates that queued up behind a write into one, losing nothing', async () => {
    const disk = new ControlledDisk();
    const queue = new UpdateQueue({ append: disk.append });
    const source = new Y.Doc();
    source.on('update', (u: Uint8Array) => queue.enqueue(u));
    const text = source.getText('t');
    text.insert(0, 'Hello');
    text.insert(5, ', ');
    text.insert(7, 'world');
    text.delete(0, 1);
    text.insert(0, 'J');
    expect(disk.calls).toHaveLength(1);
    await disk.settle();
    expect(disk.calls).toHaveLength(1);
    await disk.settle();
    expect(disk.calls).toHaveLength(0);
    expect(disk.written).toHaveLength(2);
    expect(textDocFrom(disk.written)).toBe('Jello, world');
    expect(queue.state.status).toBe('saved');
  });

  it('keeps a failed update, reports why, retries with backoff and saves everything in the end', async () => {
    const disk = new ControlledDisk();
    const clock = new ManualClock();
    const queue = new UpdateQueue({ append: disk.append, schedule: clock.schedule, retryDelaysMs: [100, 400] });
    const source = new Y.Doc();
    source.on('update', (u: Uint8Array) => queue.enqueue(u));
    source.getText('t').insert(0, 'first');

    await disk.settle('The disk is full.');
    const failed = queue.state;
    expect(failed.status).toBe('failed');
    expect(describeSaveState(failed)).toBe('Not saved — The disk is full.');
    expect(clock.armed).toEqual([100]);

    // Typing goes on while the disk is failing: nothing is written until the retry.
    source.getText('t').insert(5, ' second');
    expect(disk.calls).toHaveLength(0);
    expect(queue.hasUnsaved).toBe(true);

    await clock.advance(100);
    expect(disk.calls).toHaveLength(1);
    await disk.settle('still full');
    expect(queue.state.status).toBe('failed');
    expect(clock.armed).toEqual([400]);

    await clock.advance(400);
    await disk.settle();
    expect(queue.state.status).toBe('saved');
    expect(textDocFrom(disk.written)).toBe('first second');
  });

  it('retries at once on demand and cancels the scheduled retry', async () => {
    const disk = new ControlledDisk();
    const clock = new ManualClock();
    const queue = new UpdateQueue({ append: disk.append, schedule: clock.schedule, retryDelaysMs: [5000] });
    const source = new Y.Doc();
    source.on('update', (u: Uint8Array) => queue.enqueue(u));
    source.getText('t').insert(0, 'x');
    await disk.settle('locked');
    expect(clock.armed).toEqual([5000]);
    queue.retryNow();
    expect(clock.armed).toEqual([]);
    expect(queue.state).toMatchObject({ status: 'failed', retrying: true });
    await disk.settle();
    expect(queue.state.status).toBe('saved');
    expect(textDocFrom(disk.written)).toBe('x');
  });

  it('treats a synchronous throw from append like a failed write', async () => {
    const clock = new ManualClock();
    let fail = true;
    const written: Uint8Array[] = [];
    const queue = new UpdateQueue({
      append: (u) => {
        if (fail) throw new Error('bridge gone');
        written.push(u);
        return Promise.resolve();
      },
      schedule: clock.schedule,
      retryDelaysMs: [10],
    });
    queue.enqueue(new Uint8Array([0, 0]));
    await flush();
    expect(queue.state).toMatchObject({ status: 'failed', message: 'bridge gone' });
    fail = false;
    await clock.advance(10);
    expect(queue.state.status).toBe('saved');
    expect(written).toHaveLength(1);
  });

  it('resolves whenSaved only after every queued update is written', async () => {
    const disk = new ControlledDisk();
    const queue = new UpdateQueue({ append: disk.append, maxBatchBytes: 1 });
    let done = false;
    queue.enqueue(new Uint8Array([0, 0]));
    queue.enqueue(new Uint8Array([0, 0]));
    const saved = queue.whenSaved().then(() => {
      done = true;
    });
    await disk.settle();
    expect(done).toBe(false);
    await disk.settle();
    await saved;
    expect(done).toBe(true);
  });
});

describe('persistYDoc', () => {
  it('queues local updates but not the ones loaded from storage', async () => {
    const stored = new Y.Doc();
    stored.getText('t').insert(0, 'on disk');
    const state = Y.encodeStateAsUpdate(stored);

    const disk = new ControlledDisk();
    const queue = new UpdateQueue({ append: disk.append });
    const ydoc = new Y.Doc();
    const detach = persistYDoc(ydoc, queue);
    applyStoredState(ydoc, state);
    expect(disk.calls).toHaveLength(0);
    expect(queue.state.status).toBe('saved');

    ydoc.getText('t').insert(7, '!');
    expect(disk.calls).toHaveLength(1);
    await disk.settle();
    detach();
    ydoc.getText('t').insert(0, '>');
    expect(disk.calls).toHaveLength(0);
    expect(textDocFrom([state, ...disk.written])).toBe('on disk!');
  });
});

describe('SaveGroup', () => {
  it('says Saved only when every Y.Doc of the document is on disk, and a failure anywhere is the document’s', async () => {
    const textDisk = new ControlledDisk();
    const chairDisk = new ControlledDisk();
    const clock = new ManualClock();
    const text = new UpdateQueue({ append: textDisk.append, schedule: clock.schedule });
    const chair = new UpdateQueue({ append: chairDisk.append, schedule: clock.schedule });
    const group = new SaveGroup([text, chair]);
    const seen: SaveState['status'][] = [];
    group.subscribe((state) => seen.push(state.status));
    expect(group.state).toEqual({ status: 'saved' });

    text.enqueue(new Uint8Array([1]));
    chair.enqueue(new Uint8Array([2]));
    expect(group.state).toEqual({ status: 'saving', pendingUpdates: 2 });
    await textDisk.settle();
    // The text is on disk, the chair's doc is not: the document is not saved yet.
    expect(group.state.status).toBe('saving');
    expect(group.hasUnsaved).toBe(true);

    await chairDisk.settle('disk full');
    expect(group.state).toMatchObject({ status: 'failed', message: 'disk full', pendingUpdates: 1 });
    const saved = group.whenSaved();
    group.retryNow();
    await chairDisk.settle();
    await saved;
    expect(group.state).toEqual({ status: 'saved' });
    // Pending counts and retries publish too; the statuses go saving, failed, saved in that order.
    expect(seen.filter((status, i) => status !== seen[i - 1])).toEqual(['saving', 'failed', 'saved']);
  });
});
