/**
 * Myers' O(ND) difference algorithm ("An O(ND) Difference Algorithm and Its Variations", 1986) over sequences of
 * integers: callers intern their tokens or blocks to numbers first, so comparing two elements is one `===`.
 */

/** What one run of an edit script does: keep elements of both sides, drop elements of `a`, or add elements of `b`. */
export type EditOp = 'equal' | 'delete' | 'insert';

/** A run of `count` consecutive elements with the same operation; runs together walk `a` and `b` from the start. */
export interface Edit {
  op: EditOp;
  count: number;
}

/**
 * Past this many differences the trace (about D² integers) and the time ((N+M)·D) stop being cheap, and two texts
 * that far apart read better as "all of this replaced by all of that" anyway, so the middle is given up on.
 */
export const DEFAULT_MAX_DIFFERENCES = 2000;

/** Appends a run, merging it into the last one when the operation is the same. */
function push(edits: Edit[], op: EditOp, count: number): void {
  if (count <= 0) return;
  const last = edits[edits.length - 1];
  if (last && last.op === op) last.count += count;
  else edits.push({ op, count });
}

/**
 * The shortest edit script turning `a` into `b` (a minimal number of deletions plus insertions), as runs in
 * order. Common prefix and suffix are trimmed first, so the cost follows the differences, not the lengths. When
 * more than `maxDifferences` edits would be needed, the untrimmed middle comes back as one delete and one insert.
 */
export function diffSequences(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  maxDifferences: number = DEFAULT_MAX_DIFFERENCES,
): Edit[] {
  let start = 0;
  let endA = a.length;
  let endB = b.length;
  while (start < endA && start < endB && a[start] === b[start]) start += 1;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA -= 1;
    endB -= 1;
  }
  const edits: Edit[] = [];
  push(edits, 'equal', start);
  for (const edit of middle(a, b, start, endA, start, endB, maxDifferences)) push(edits, edit.op, edit.count);
  push(edits, 'equal', a.length - endA);
  return edits;
}

/** The greedy forward Myers search on a[a0, a1) and b[b0, b1), keeping each round's frontier for the way back. */
function middle(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  a0: number,
  a1: number,
  b0: number,
  b1: number,
  maxDifferences: number,
): Edit[] {
  const n = a1 - a0;
  const m = b1 - b0;
  if (n === 0 && m === 0) return [];
  if (n === 0) return [{ op: 'insert', count: m }];
  if (m === 0) return [{ op: 'delete', count: n }];
  const max = n + m;
  const offset = max + 1;
  // v[offset + k] is the furthest x reached on diagonal k (k = x - y) in the current round.
  const v = new Int32Array(2 * max + 3);
  // trace[d] is the frontier at the end of round d - 1, on diagonals -(d - 1) .. d - 1: what round d started from.
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max; d += 1) {
    if (d > maxDifferences) break;
    trace.push(d === 0 ? new Int32Array(0) : v.slice(offset - (d - 1), offset + d));
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number))) {
        x = v[offset + k + 1] as number; // a step down: insert b[y - 1]
      } else {
        x = (v[offset + k - 1] as number) + 1; // a step right: delete a[x - 1]
      }
      let y = x - k;
      while (x < n && y < m && a[a0 + x] === b[b0 + y]) {
        x += 1;
        y += 1;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    if (found >= 0) break;
  }
  if (found < 0) return [{ op: 'delete', count: n }, { op: 'insert', count: m }];

  // Walk back from (n, m): each round contributes one insert or delete and the diagonal (equal run) after it.
  const reversed: Edit[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d -= 1) {
    const previous = trace[d] as Int32Array;
    const at = (k: number): number => previous[k + d - 1] as number;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const previousK = down ? k + 1 : k - 1;
    const previousX = at(previousK);
    const previousY = previousX - previousK;
    const startX = down ? previousX : previousX + 1;
    push(reversed, 'equal', x - startX);
    push(reversed, down ? 'insert' : 'delete', 1);
    x = previousX;
    y = previousY;
  }
  push(reversed, 'equal', x);
  const edits: Edit[] = [];
  for (let index = reversed.length - 1; index >= 0; index -= 1) {
    const edit = reversed[index] as Edit;
    push(edits, edit.op, edit.count);
  }
  return edits;
}

/** Whether the edit script turns `a` into `b`: used by tests and as a guard in development builds. */
export function checkEdits(a: ArrayLike<number>, b: ArrayLike<number>, edits: readonly Edit[]): boolean {
  let i = 0;
  let j = 0;
  for (const edit of edits) {
    if (edit.op === 'equal') {
      for (let c = 0; c < edit.count; c += 1) if (a[i + c] !== b[j + c]) return false;
      i += edit.count;
      j += edit.count;
    } else if (edit.op === 'delete') i += edit.count;
    else j += edit.count;
  }
  return i === a.length && j === b.length;
}
