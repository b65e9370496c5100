/**
 * Kills a process that is appending updates (SIGKILL, at random moments, some during compaction) 200 times
 * against the same database file, and checks after every kill that the file is sound and that every update the
 * process reported as stored is still there.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Workspace } from './index.ts';

const KILLS = 200;
const writer = fileURLToPath(new URL('../../tests/helpers/storage-crash-writer.ts', import.meta.url));

interface Reported {
  seq: number;
  ydoc: string;
  hash: string;
  update: Uint8Array;
}

let dir: string;
let compileCache: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'penholder-crash-'));
  // Node's compile cache halves the start-up of each of the 200 writers.
  compileCache = fs.mkdtempSync(path.join(os.tmpdir(), 'penholder-crash-cache-'));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(compileCache, { recursive: true, force: true });
});

/** A writer process that has loaded its modules and waits for `go`. */
interface Writer {
  /** Lets it write, SIGKILLs it `delayMs` after its first stored update, and returns the updates it reported. */
  go(delayMs: number): Promise<Reported[]>;
}

function startWriter(id: string, compactThreshold: number): Writer {
  const child = spawn(process.execPath, [writer, dir, id, String(compactThreshold)], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NODE_COMPILE_CACHE: compileCache },
  });
  let stdout = '';
  let stderr = '';
  let killDelay: number | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    stdout += chunk;
    if (killTimer === undefined && killDelay !== undefined && stdout.includes('\n')) {
      killTimer = setTimeout(() => child.kill('SIGKILL'), killDelay);
    }
  });
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  return {
    async go(delayMs) {
      killDelay = delayMs;
      const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.stdin.end('go\n');
      const { code, signal } = await ended;
      clearTimeout(guard);
      clearTimeout(killTimer);
      if (signal !== 'SIGKILL' || killTimer === undefined) {
        throw new Error(`the writer ended on its own (code ${code}, signal ${signal}): ${stderr}`);
      }
      // A line cut off by the kill was never fully reported; only whole lines count.
      const lines = stdout.slice(0, stdout.lastIndexOf('\n') + 1).split('\n').filter(Boolean);
      return lines.map((line) => {
        const [word, seq, ydoc, hash, base64] = line.split(' ');
        if (word !== 'stored' || !seq || !ydoc || !hash || !base64) throw new Error(`unexpected line from the writer: ${line}`);
        return { seq: Number(seq), ydoc, hash, update: new Uint8Array(Buffer.from(base64, 'base64')) };
      });
    },
  };
}

it(`loses nothing reported as stored across ${KILLS} SIGKILLs`, { timeout: 240_000 }, async () => {
  const setup = Workspace.open(dir);
  const id = setup.create('Killed repeatedly').id;
  setup.close();
  const file = path.join(dir, 'docs', `${id}.penholder`);

  const reported: Reported[] = [];
  /** Everything ever reported or seen stored, per Y.Doc: what the file must always contain. */
  const expected = new Map(['text', 'chair'].map((name) => [name, new Y.Doc({ gc: false })]));
  let compactedSeen = 0;

  const nextWriter = () => startWriter(id, 5 + Math.floor(Math.random() * 60));
  let waiting = nextWriter();
  for (let kill = 0; kill < KILLS; kill += 1) {
    const current = waiting;
    const running = current.go(2 + Math.floor(Math.random() * 58));
    // The next writer loads its modules while this one runs and is checked; it only opens the file on "go".
    if (kill + 1 < KILLS) waiting = nextWriter();
    const fresh = await running;
    expect(fresh.length).toBeGreaterThan(0);
    for (const entry of fresh) {
      expect(createHash('sha256').update(entry.update).digest('hex')).toBe(entry.hash);
      expect(entry.seq).toBeGreaterThan(reported.at(-1)?.seq ?? 0);
      reported.push(entry);
      Y.applyUpdate(expected.get(entry.ydoc) as Y.Doc, entry.update);
    }

    // Read-only on odd rounds, so the WAL the writer left behind is not checkpointed away before the next writer.
    const db = new Database(file, { fileMustExist: true, readonly: kill % 2 === 1 });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const rows = db.prepare('SELECT seq, ydoc, data FROM updates ORDER BY seq').all() as Array<{ seq: number; ydoc: string; data: Buffer }>;
      const bySeq = new Map(rows.map((row) => [row.seq, row]));
      const lastSeq = new Map<string, number>();
      for (const row of rows) lastSeq.set(row.ydoc, row.seq);

      // By seq and hash: the row is still there unchanged, or a compacted row of the same Y.Doc with a seq at
      // or after it holds it (compaction keeps the seq of the last row it merged).
      for (const entry of reported) {
        const row = bySeq.get(entry.seq);
        if (row && createHash('sha256').update(row.data).digest('hex') === entry.hash) {
          expect(row.ydoc).toBe(entry.ydoc);
          continue;
        }
        compactedSeen += 1;
        if (row) expect(row.ydoc).toBe(entry.ydoc);
        expect(lastSeq.get(entry.ydoc) ?? 0).toBeGreaterThanOrEqual(entry.seq);
      }

      // By content: applying everything expected to what is stored changes nothing.
      for (const [name, expectedDoc] of expected) {
        const data = rows.filter((row) => row.ydoc === name).map((row) => row.data);
        const stored = new Y.Doc({ gc: false });
        if (data.length > 0) Y.applyUpdate(stored, Y.mergeUpdates(data));
        const before = Y.encodeStateAsUpdate(stored);
        Y.applyUpdate(stored, Y.encodeStateAsUpdate(expectedDoc));
        expect(Buffer.from(Y.encodeStateAsUpdate(stored)).equals(Buffer.from(before))).toBe(true);
        // What is stored now must stay stored: later rounds check it too.
        Y.applyUpdate(expectedDoc, before);
      }
    } finally {
      db.close();
    }
  }

  // Kills landed both before and after compactions, and the app can still open and read the document.
  expect(compactedSeen).toBeGreaterThan(0);
  const workspace = Workspace.open(dir);
  try {
    expect(workspace.problems).toEqual([]);
    const text = new Y.Doc();
    Y.applyUpdate(text, workspace.load(id, 'text').state);
    expect(text.getXmlFragment('prosemirror').toString()).toBe((expected.get('text') as Y.Doc).getXmlFragment('prosemirror').toString());
  } finally {
    workspace.close();
  }
  console.log(`crash test: ${KILLS} kills, ${reported.length} updates reported as stored, all present`);
});
