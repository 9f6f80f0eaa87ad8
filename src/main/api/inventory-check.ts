import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { INVENTORY_FILE, quickCheck } from '../core/store';
import type { Output } from './cli-run';

/** `npm run serve -- --check`: SQLite's quick_check of the inventory, read-only; 0 when sound, 1 when damaged or missing. */
export async function runInventoryCheck(dataDir: string, output: Output): Promise<0 | 1> {
  const file = join(dataDir, INVENTORY_FILE);
  if (!existsSync(file)) {
    output.err(`No inventory at ${file}: check --data-dir (a satellite makes it on its first start).`);
    return 1;
  }
  let answer: string[];
  try {
    answer = await quickCheck(file);
  } catch (error) {
    output.err(`The inventory ${file} could not be checked (${(error as Error).message}); if a satellite is writing it, try again in a moment.`);
    return 1;
  }
  const problems = answer.filter((p) => p !== 'ok');
  if (problems.length === 0) {
    output.out(`The inventory ${file} is sound (SQLite quick_check: ok).`);
    return 0;
  }
  output.err(`The inventory ${file} is damaged:`);
  for (const problem of problems) output.err(`  ${problem}`);
  output.err(`Stop the satellite and put back a copy of ${file} (keys stay sealed under the DEK), or move it aside to start with an empty inventory.`);
  return 1;
}
