// A satellite process that only rotates its DEK, for the SIGKILL test: file DEK store at
// <dataDir>/dek.json (passphrase from SATELLITE_DEK_PASSPHRASE, scrypt at its floor so a test run
// is quick), inventory at <dataDir>/inventory.db. Like a real start it first finishes any
// interrupted rotation, then rotates. Each step is printed as one JSON line, so the test knows
// where its kill landed.
import { join } from 'node:path';
import { fileDekStore, passphraseFromEnv } from '../../src/main/core/dek/file/file-dek-store';
import { DekLifecycle, inventoryBlobRepository, pendingFileDekStore } from '../../src/main/core/dek';
import { openInventoryStore } from '../../src/main/core/store/inventory-store';

const WORKER_SCRYPT_N = 2 ** 14;

const dataDir = process.argv[2];
if (!dataDir) {
  console.error('usage: tsx test/helpers/rotation-worker.ts <dataDir>');
  process.exit(2);
}
const say = (event: object) => process.stdout.write(JSON.stringify(event) + '\n');

const passphrase = passphraseFromEnv();
const dekPath = join(dataDir, 'dek.json');
const inventory = openInventoryStore(join(dataDir, 'inventory.db'));
const lifecycle = new DekLifecycle({
  current: fileDekStore(dekPath, passphrase, { scryptN: WORKER_SCRYPT_N }),
  pending: pendingFileDekStore(dekPath, passphrase, { scryptN: WORKER_SCRYPT_N }),
  repository: inventoryBlobRepository(inventory),
  onRotationProgress: (event) => say(event),
});
say({ phase: 'started', pid: process.pid });
const resumed = await lifecycle.resumeIfInterrupted();
say({ phase: 'resumed', finished: resumed !== null });
const result = await lifecycle.rotate();
say({ phase: 'rotated', oldDekHash: result.oldDekHash, newDekHash: result.newDekHash, moved: result.moved });
inventory.close();
