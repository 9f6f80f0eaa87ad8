import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release } from 'node:os';
import { opensslVersion } from './openssl-cli';

export interface Machine {
  nproc: number;
  cpuModel: string;
  /**
   * What else decides the figures: the CPU's family and model (one model name, "AMD EPYC", covers
   * several generations, and Go's and OpenSSL's P-384 code do not gain alike from a newer one) and
   * how the kernel guards system calls (with PTI each costs more, and the satellite makes many more
   * per certificate than CFSSL in memory: SQLite's page writes, the sync, log lines).
   */
  cpuDetail?: string;
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

/** "family 26 model 2; meltdown: Mitigation: PTI" on Linux, undefined elsewhere. */
function cpuDetail(): string | undefined {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const field = (name: string) => new RegExp(`^${name}\\s*:\\s*(.+)$`, 'm').exec(info)?.[1]?.trim();
    const parts = [`family ${field('cpu family') ?? '?'} model ${field('model') ?? '?'}`];
    if (/^flags\s*:.*\bhypervisor\b/m.test(info)) parts.push('virtual machine');
    try {
      parts.push(`meltdown: ${readFileSync('/sys/devices/system/cpu/vulnerabilities/meltdown', 'utf8').trim()}`);
    } catch {
      // an older kernel or another system: not said
    }
    return parts.join('; ');
  } catch {
    return undefined;
  }
}

export function describeMachine(): Machine {
  return { nproc: availableParallelism(), cpuModel: cpuModel(), cpuDetail: cpuDetail(), node: process.version, kernel: release(), openssl: opensslVersion(), loadStart: loadavg()[0]! };
}
