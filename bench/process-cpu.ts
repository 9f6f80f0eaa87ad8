import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

// CPU time of a server process, to compare what each certificate costs the machine: on a shared
// VM a run's requests/s move by 20-40% within minutes, but the CPU a request takes moves less.

let ticksPerSecond: number | undefined;

/** Clock ticks per second of /proc's times (getconf CLK_TCK; 100 on Linux when getconf is absent). */
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    const answer = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim());
    ticksPerSecond = Number.isFinite(answer) && answer > 0 ? answer : 100;
  }
  return ticksPerSecond;
}

/** User + system CPU in a /proc stat line, in ms. */
function cpuOfStatMs(stat: string): number {
  // The command name may hold spaces and parentheses: fields are counted after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [utime, stime] = [Number(fields[11]), Number(fields[12])];
  return ((utime + stime) * 1000) / clockTicks();
}

/** User + system CPU of process `pid` so far, in ms, from /proc/<pid>/stat (every thread); undefined where there is no /proc. */
export function cpuOfProcessMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    return cpuOfStatMs(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * CPU ms so far of each thread of `pid` still running, summed by thread name (Linux keeps 15
 * characters of it), the process's first thread as "main thread". A thread that ended is not
 * counted, so the sums are for long-lived threads (a server's event loop, its workers, V8's).
 */
export function cpuOfThreadsMs(pid: number | undefined): Record<string, number> | undefined {
  if (pid === undefined) return undefined;
  try {
    const byName: Record<string, number> = {};
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      } catch {
        continue; // ended between the listing and the read
      }
      const name = tid === String(pid) ? 'main thread' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      byName[name] = (byName[name] ?? 0) + cpuOfStatMs(stat);
    }
    return byName;
  } catch {
    return undefined;
  }
}

/** What each thread name spent between two cpuOfThreadsMs readings, per item. */
function perItem(before: Record<string, number>, after: Record<string, number>, items: number): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([name, ms]) => [name, (ms - (before[name] ?? 0)) / items]));
}

/**
 * Runs `work` and returns its result with the CPU ms `pid` spent per item meanwhile, in all and
 * by thread name (undefined without /proc).
 */
export async function withCpuPerItem<T>(
  pid: number | undefined,
  items: number,
  work: () => Promise<T>,
): Promise<{ value: T; cpuMsPerItem: number | undefined; threadsMsPerItem: Record<string, number> | undefined }> {
  const before = cpuOfProcessMs(pid);
  const threadsBefore = cpuOfThreadsMs(pid);
  const value = await work();
  const after = cpuOfProcessMs(pid);
  const threadsAfter = cpuOfThreadsMs(pid);
  return {
    value,
    cpuMsPerItem: before === undefined || after === undefined ? undefined : (after - before) / items,
    threadsMsPerItem: threadsBefore === undefined || threadsAfter === undefined ? undefined : perItem(threadsBefore, threadsAfter, items),
  };
}
