// A target for `node --cpu-prof --import tsx bench/profile.ts [P-256|Ed25519|RSA-2048] [count] [concurrency]`:
// only the in-process pipeline, so the profile shows where a request's time goes.
import { openInProcessSatellite } from './in-process';
import { KEY_TYPES } from './key-types';
import { runConcurrent } from './stats';

const [label = 'P-256', count = '200', concurrency = '1'] = process.argv.slice(2);
const k = KEY_TYPES.find((t) => t.label === label);
if (!k) throw new Error(`key type "${label}" is not one of ${KEY_TYPES.map((t) => t.label).join(', ')}`);
const local = await openInProcessSatellite();
try {
  await local.request(k, -1);
  const t = await runConcurrent(Number(count), Number(concurrency), (i) => local.request(k, i));
  console.log(`${label} x${count} at concurrency ${concurrency}: median ${t.medianMs.toFixed(2)} ms, ${t.perSecond.toFixed(0)} req/s`);
} finally {
  await local.close();
}
