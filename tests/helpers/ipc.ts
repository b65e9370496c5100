/** Reading IPC results in tests. */
import type { IpcResult } from '../../shared/ipc.ts';

/** The value of a successful result; fails the test with the error's code and message otherwise. */
export function ok<T>(result: IpcResult<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}
