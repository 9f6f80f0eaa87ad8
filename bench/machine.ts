import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release } from 'node:os';
import { opensslVersion } from './openssl-cli';

export interface Machine {
  nproc: number;
  cpuModel: string;
  node: string;
  kernel: string;
  openssl?: string;
  /** 1-minute load average when the bench started and ended: above nproc, other work shared the CPUs. */
  loadStart: number;
  loadEnd?: number;
}

/** The model name from /proc/cpuinfo (Linux), else what Node reports. */
function cpuModel(): string {
  try {
    const line = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1];
    if (line) return line.trim();
  } catch {
    // not Linux: fall through
  }
  return cpus()[0]?.model ?? 'unknown';
}

export function describeMachine(): Machine {
  return { nproc: availableParallelism(), cpuModel: cpuModel(), node: process.version, kernel: release(), openssl: opensslVersion(), loadStart: loadavg()[0]! };
}
