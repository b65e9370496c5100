/**
 * The benchmark's timeline as every thread sees it, and the writers' pace: each writer sends one step (a Yjs update
 * and its cursor) every `stepMs`, writers spread evenly over the step, from `startAt` to the end of the window.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { nowMs } from './clock.ts';

/** Times on the shared clock (clock.ts): writers start, the measured window opens, the window closes. */
export interface Timeline {
  readonly startAt: number;
  readonly windowStart: number;
  readonly windowEnd: number;
}

/** One writer a thread drives: its number (0..writers-1) and how to send its step s. */
export interface WriterSlot {
  readonly writer: number;
  send(step: number): void;
}

/**
 * Drives `slots` until the window ends, noting each step's send time in `sendTimes[writer * maxSeq + step]`.
 * A late timer sends the overdue steps at once, so every writer keeps its rate even when the thread is busy.
 */
export function runWriters(
  slots: readonly WriterSlot[],
  options: { timeline: Timeline; stepMs: number; writers: number; maxSeq: number; sendTimes: Float64Array },
): Promise<void> {
  const { timeline, stepMs, writers, maxSeq, sendTimes } = options;
  const next = slots.map((slot) => timeline.startAt + (slot.writer / writers) * stepMs);
  const steps = slots.map(() => 0);
  return new Promise((resolve) => {
    const tick = (): void => {
      const now = nowMs();
      if (now >= timeline.windowEnd) {
        resolve();
        return;
      }
      let soonest = timeline.windowEnd;
      slots.forEach((slot, i) => {
        while ((next[i] as number) <= now && (steps[i] as number) < maxSeq) {
          const step = steps[i] as number;
          sendTimes[slot.writer * maxSeq + step] = nowMs();
          slot.send(step);
          steps[i] = step + 1;
          next[i] = (next[i] as number) + stepMs;
        }
        if ((steps[i] as number) < maxSeq) soonest = Math.min(soonest, next[i] as number);
      });
      setTimeout(tick, Math.max(0, soonest - nowMs()));
    };
    setTimeout(tick, Math.max(0, timeline.startAt - nowMs()));
  });
}

/** Calls `atStart` when the window opens and `atEnd` when it closes; resolves with this thread's event-loop use in it. */
export function measureWindow(timeline: Timeline, atStart: () => void = () => undefined, atEnd: () => void = () => undefined): Promise<number> {
  return new Promise((resolve) => {
    let start: EventLoopUtilization | null = null;
    setTimeout(() => {
      start = performance.eventLoopUtilization();
      atStart();
      setTimeout(() => {
        atEnd();
        resolve(start === null ? Number.NaN : performance.eventLoopUtilization(start).utilization);
      }, Math.max(0, timeline.windowEnd - nowMs()));
    }, Math.max(0, timeline.windowStart - nowMs()));
  });
}
