import type { BenchKeyType } from './key-types';
import { withCpuPerItem } from './process-cpu';
import { runConcurrent, type Throughput } from './stats';

// The satellite and CFSSL, both up at once, measured in alternating rounds (A B B A ...) on the
// same job. On a shared VM a section's requests/s move by 20-40% within minutes, so two sections
// measured a minute apart compare the machine's moods as much as the servers; rounds a few
// seconds long, alternated, see the same moods, and the median of the per-round ratios is what
// the target reads.

/** What the head-to-head drives: a server up for the whole comparison. */
export interface Contender {
  pid: number | undefined;
  request(k: BenchKeyType, i: number): Promise<void>;
}

export interface RoundFigures extends Throughput {
  /** CPU ms the server process spent per certificate in this round (Linux). */
  cpuMs?: number;
  /** The same by thread name (Linux), e.g. the satellite's main thread and crypto worker. */
  threadsMs?: Record<string, number>;
}

export interface HeadToHeadRound {
  satellite: RoundFigures;
  cfssl: RoundFigures;
  /** satellite req/s / CFSSL req/s in this round. */
  ratio: number;
}

export interface HeadToHeadResult {
  keyType: BenchKeyType['label'];
  concurrency: number;
  requestsPerRound: number;
  rounds: HeadToHeadRound[];
  medianRatio: number;
  minRatio: number;
  maxRatio: number;
  /** Medians over the rounds. */
  satellite: { perSecond: number; p99Ms: number; cpuMs?: number; threadsMs?: Record<string, number> };
  cfssl: { perSecond: number; p99Ms: number; cpuMs?: number; threadsMs?: Record<string, number> };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The median of each thread name's figure over the rounds that have it. */
function medianByName(rounds: (Record<string, number> | undefined)[]): Record<string, number> | undefined {
  const present = rounds.filter((r): r is Record<string, number> => r !== undefined);
  if (present.length === 0) return undefined;
  const names = [...new Set(present.flatMap((r) => Object.keys(r)))];
  return Object.fromEntries(names.map((name) => [name, median(present.map((r) => r[name] ?? 0))]));
}

const medianOrUndefined = (values: (number | undefined)[]): number | undefined => (values.every((v) => v !== undefined) ? median(values as number[]) : undefined);

export async function benchHeadToHead(k: BenchKeyType, satellite: Contender, cfssl: Contender, options: { rounds: number; perRound: number; warmup: number; concurrency: number }): Promise<HeadToHeadResult> {
  const { rounds: count, perRound, warmup, concurrency } = options;
  // Request numbers never repeat across rounds: each certificate has its own name.
  let offset = 50_000;
  const round = async (who: Contender): Promise<RoundFigures> => {
    const base = offset;
    offset += perRound;
    const { value, cpuMsPerItem, threadsMsPerItem } = await withCpuPerItem(who.pid, perRound, () => runConcurrent(perRound, concurrency, (i) => who.request(k, base + i)));
    return { ...value, cpuMs: cpuMsPerItem, threadsMs: threadsMsPerItem };
  };
  await runConcurrent(warmup, concurrency, (i) => satellite.request(k, 40_000 + i));
  await runConcurrent(warmup, concurrency, (i) => cfssl.request(k, 40_000 + i));
  const rounds: HeadToHeadRound[] = [];
  for (let r = 0; r < count; r++) {
    // A B, then B A: a machine that speeds up or slows down during the run favours neither.
    let ours: RoundFigures;
    let theirs: RoundFigures;
    if (r % 2 === 0) {
      ours = await round(satellite);
      theirs = await round(cfssl);
    } else {
      theirs = await round(cfssl);
      ours = await round(satellite);
    }
    rounds.push({ satellite: ours, cfssl: theirs, ratio: ours.perSecond / theirs.perSecond });
  }
  const ratios = rounds.map((r) => r.ratio);
  const side = (pick: (r: HeadToHeadRound) => RoundFigures) => ({
    perSecond: median(rounds.map((r) => pick(r).perSecond)),
    p99Ms: median(rounds.map((r) => pick(r).p99Ms)),
    cpuMs: medianOrUndefined(rounds.map((r) => pick(r).cpuMs)),
    threadsMs: medianByName(rounds.map((r) => pick(r).threadsMs)),
  });
  return {
    keyType: k.label,
    concurrency,
    requestsPerRound: perRound,
    rounds,
    medianRatio: median(ratios),
    minRatio: Math.min(...ratios),
    maxRatio: Math.max(...ratios),
    satellite: side((r) => r.satellite),
    cfssl: side((r) => r.cfssl),
  };
}
