import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

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

/** User + system CPU of process `pid` so far, in ms, from /proc/<pid>/stat (every thread); undefined where there is no /proc. */
export function cpuOfProcessMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields are counted after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const [utime, stime] = [Number(fields[11]), Number(fields[12])];
    return ((utime + stime) * 1000) / clockTicks();
  } catch {
    return undefined;
  }
}

/** Runs `work` and returns its result with the CPU ms `pid` spent per item meanwhile (undefined without /proc). */
export async function withCpuPerItem<T>(pid: number | undefined, items: number, work: () => Promise<T>): Promise<{ value: T; cpuMsPerItem: number | undefined }> {
  const before = cpuOfProcessMs(pid);
  const value = await work();
  const after = cpuOfProcessMs(pid);
  return { value, cpuMsPerItem: before === undefined || after === undefined ? undefined : (after - before) / items };
}
