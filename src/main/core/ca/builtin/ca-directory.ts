import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Sealer } from '../../vault/sealer';
import type { Logger } from '../../log';
import { fsyncPath } from './atomic-files';
import { createCaMaterial } from './create-ca';

// The CA directory. It appears complete or not at all: first run builds it in a sibling
// temporary directory and renames it into place, so a crash mid-way leaves only a stale
// temporary directory (removed on the next start), never half a CA.

export const CA_FILES = {
  meta: 'ca.json',
  rootPem: 'root.pem',
  intermediatePem: 'intermediate.pem',
  rootKey: 'root.key.sealed',
  intermediateKey: 'intermediate.key.sealed',
  revocations: 'revocations.json',
} as const;

/** Record ids the keys are sealed under; the Sealer binds them into the blobs. */
export const SEALED_KEY_IDS = { root: 'builtin-ca/root.key', intermediate: 'builtin-ca/intermediate.key' } as const;

export interface CaMeta {
  version: 1;
  createdAt: string;
  /** The DEK the keys were sealed under. */
  dekHash: string;
  keyAlgorithm: 'ECDSA P-384';
}

export interface CaDirectory {
  dir: string;
  meta: CaMeta;
  rootPem: string;
  intermediatePem: string;
  sealedIntermediateKey: Buffer;
  /** True when this call created the CA. */
  created: boolean;
}

const PARTIAL = '.partial-';

function isEmptyDir(path: string): boolean {
  return readdirSync(path).length === 0;
}

function removeStalePartials(dir: string, log: Logger): void {
  const parent = dirname(dir);
  const prefix = `.${basename(dir)}${PARTIAL}`;
  for (const name of readdirSync(parent)) {
    if (!name.startsWith(prefix)) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
    log.log('warn', 'builtin-ca: removed an unfinished CA from an interrupted first run', { path: join(parent, name) });
  }
}

function read(dir: string): Omit<CaDirectory, 'created'> {
  const meta = JSON.parse(readFileSync(join(dir, CA_FILES.meta), 'utf8')) as CaMeta;
  return {
    dir,
    meta,
    rootPem: readFileSync(join(dir, CA_FILES.rootPem), 'utf8'),
    intermediatePem: readFileSync(join(dir, CA_FILES.intermediatePem), 'utf8'),
    sealedIntermediateKey: readFileSync(join(dir, CA_FILES.intermediateKey)),
  };
}

/** Loads the CA in `dir`, creating it (atomically) on first run. */
export async function openCaDirectory(dir: string, sealer: Sealer, log: Logger): Promise<CaDirectory> {
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true, mode: 0o700 });
  removeStalePartials(dir, log);

  if (existsSync(join(dir, CA_FILES.meta))) return { ...read(dir), created: false };
  if (existsSync(dir) && !isEmptyDir(dir)) {
    throw new Error(`The built-in CA directory ${dir} exists but has no ${CA_FILES.meta}; move its contents away (or choose another directory) so a new CA can be made there.`);
  }

  const material = await createCaMaterial();
  const meta: CaMeta = { version: 1, createdAt: new Date().toISOString(), dekHash: sealer.dekHash, keyAlgorithm: 'ECDSA P-384' };
  const tmp = mkdtempSync(join(parent, `.${basename(dir)}${PARTIAL}`));
  const write = (name: string, data: string | Uint8Array): void => writeFileSync(join(tmp, name), data, { mode: 0o600, flush: true });
  write(CA_FILES.rootKey, sealer.seal(SEALED_KEY_IDS.root, material.rootKeyPkcs8));
  write(CA_FILES.intermediateKey, sealer.seal(SEALED_KEY_IDS.intermediate, material.intermediateKeyPkcs8));
  material.rootKeyPkcs8.fill(0);
  material.intermediateKeyPkcs8.fill(0);
  write(CA_FILES.rootPem, material.rootPem);
  write(CA_FILES.intermediatePem, material.intermediatePem);
  // ca.json last: its presence is what marks the directory complete.
  write(CA_FILES.meta, JSON.stringify(meta, null, 2));
  fsyncPath(tmp);

  try {
    if (existsSync(dir)) rmdirSync(dir); // empty (checked above); Windows cannot rename onto it
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    // Another process finished first: use its CA.
    if (existsSync(join(dir, CA_FILES.meta))) return { ...read(dir), created: false };
    throw e;
  }
  fsyncPath(parent);
  log.log('info', 'builtin-ca: created a root and an issuing intermediate', { dir });
  return { ...read(dir), created: true };
}
