import type { Throughput, Timing } from './stats';

/** A goal printed beside its figures: PASS or FAIL, or SKIP when this run did not measure it. */
export interface Target {
  name: string;
  verdict: 'PASS' | 'FAIL' | 'SKIP';
  measured: string;
  goal: string;
}

export function target(name: string, ok: boolean | undefined, measured: string, goal: string): Target {
  return { name, verdict: ok === undefined ? 'SKIP' : ok ? 'PASS' : 'FAIL', measured, goal };
}

export function targetLine(t: Target): string {
  return `  ${t.verdict.padEnd(4)}  ${t.name}: ${t.measured} (goal: ${t.goal})`;
}

export const ms = (x: number): string => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
export const rate = (x: number): string => (x < 10 ? x.toFixed(1) : x.toFixed(0));
/**
 * A ratio beside its goal, in two decimals unless those would round a miss onto the goal (0.999
 * is not "1.00x" next to a FAIL): then three, rounded away from the goal.
 */
export const ratio = (x: number, goal = 1): string => {
  const two = x.toFixed(2);
  if (Number(two) !== goal || x === goal) return two;
  return ((x < goal ? Math.floor(x * 1000) : Math.ceil(x * 1000)) / 1000).toFixed(3);
};

/** Prints rows as aligned columns under a heading. */
export function printTable(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) => '  ' + cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  console.log(`\n== ${title}`);
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

export const TIMING_HEADER = ['', 'n', 'median ms', 'p99 ms'];
export const THROUGHPUT_HEADER = ['', 'conc', 'n', 'median ms', 'p99 ms', 'req/s'];

export function timingRow(label: string, t: Timing): string[] {
  return [label, String(t.n), ms(t.medianMs), ms(t.p99Ms)];
}

export function throughputRow(label: string, t: Throughput): string[] {
  return [label, String(t.concurrency), String(t.n), ms(t.medianMs), ms(t.p99Ms), rate(t.perSecond)];
}
