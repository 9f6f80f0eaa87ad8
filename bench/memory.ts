import { readFileSync, writeFileSync } from 'node:fs';

/** Peak resident set size of this process, in MB (maxRSS is in kilobytes). */
export function peakRssOfSelfMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Peak RSS of another process from /proc/<pid>/status (VmHWM, Linux); undefined where there is no /proc. */
export function peakRssOfChildMb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/**
 * Starts another process's peak RSS over from its current RSS (Linux: "5" to /proc/<pid>/clear_refs),
 * so what follows measures serving alone, not start-up; false where that cannot be done.
 */
export function resetPeakRssOfChild(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
