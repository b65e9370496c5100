/**
 * Figures read from Linux's /proc: a process's CPU time and memory, and how busy the whole machine is. Reading them
 * from outside never waits on the (possibly saturated) event loop of the process measured.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc times (USER_HZ; 100 on Linux). */
const CLOCK_TICKS = 100;

/** CPU seconds (user + system, all threads) the process has used so far. */
export function readCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which sits in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** Resident memory now and its peak so far (VmRSS, VmHWM), in bytes. */
export function readMemory(pid: number): { rssBytes: number; peakBytes: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssBytes: kib('VmRSS') * 1024, peakBytes: kib('VmHWM') * 1024 };
}

/** CPU seconds all processes of the machine have used so far (every core; idle and I/O wait excluded). */
export function readMachineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / CLOCK_TICKS;
}

/** Seconds in which some runnable task waited for a CPU (pressure stall information), or NaN without PSI. */
export function readCpuStallSeconds(): number {
  try {
    const total = /^some .*total=(\d+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'))?.[1];
    return total === undefined ? Number.NaN : Number(total) / 1e6;
  } catch {
    return Number.NaN;
  }
}
