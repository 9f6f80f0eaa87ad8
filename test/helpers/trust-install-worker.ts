// Installs a root into throwaway trust stores with the real TrustService, for the test that kills
// it half-way (test/integration/trust-interrupted.test.ts). Prints `START` before it begins and
// `DONE` after; the test kills it in between.
import { readFileSync } from 'node:fs';
import { TrustService } from '../../src/main/core/trust/trust-service';
import { trustTargetsWith } from '../../src/main/core/trust/trust-stores';

const [dataDir, home, systemRoot, javaCacerts, rootFile] = process.argv.slice(2);
if (!dataDir || !home || !systemRoot || !javaCacerts || !rootFile) {
  console.error('usage: tsx test/helpers/trust-install-worker.ts <dataDir> <home> <sysroot> <cacerts> <root.pem>');
  process.exit(2);
}
console.log('START');
await new TrustService(dataDir, trustTargetsWith({ home, systemRoot, javaCacerts })).install(readFileSync(rootFile, 'utf8'));
console.log('DONE');
