/**
 * One clock for every thread and process of the benchmark, so a send time taken by a writer and a receive time taken
 * by another thread can be subtracted.
 */

/** Milliseconds on the machine's monotonic clock (process.hrtime), shared by all threads and processes. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

/** Resolves at `atMs` on {@link nowMs}'s clock (immediately if that time has passed). */
export function sleepUntil(atMs: number): Promise<void> {
  return sleep(atMs - nowMs());
}
