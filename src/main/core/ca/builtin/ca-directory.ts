import { describeNameConstraints, type NameConstraints } from '../../../../shared/name-constraints';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Sealer } from '../../vault/sealer';
import { readBlobDekHash } from '../../vault/blob-format';
import type { Logger } from '../../common/log';
import { fsyncPath, writeFileAtomicSync } from '../../fs/atomic-write';
import { caTagOf, createCaMaterial, createIssuingCa, issuingCaCommonName, namesRootAt, reissueIntermediate, signRootCrl, type RootPointers } from './create-ca';
import { caKeyMatchesCertificate, CA_KEY_ALGORITHM, subtle, x509 } from './x509';

// The CA directory holds the certificates; the CA's private keys live sealed in the inventory's
// secrets table, next to every other sealed blob, so a DEK rotation rewraps them too.
//
// First run, crash-safe: the sealed keys are written to the inventory first, then the certificate
// files are built in a sibling temporary directory and renamed into place. ca.json is what marks
// a CA complete, so a crash before the rename leaves sealed keys without a CA (overwritten by the
// next first run) or a stale temporary directory (removed on the next start), never half a CA.

export const CA_FILES = {
  meta: 'ca.json',
  rootPem: 'root.pem',
  intermediatePem: 'intermediate.pem',
  /** Where versions before the move to the inventory kept the sealed keys; migrated on open. */
  rootKey: 'root.key.sealed',
  intermediateKey: 'intermediate.key.sealed',
  revocations: 'revocations.json',
  /** The root's CRL (DER): signed when the CA is made, or at the first start of a CA made before it. */
  rootCrl: 'root.crl',
} as const;

/** Record ids the keys are sealed under (the Sealer binds them into the blobs) and their secret ids. */
export const SEALED_KEY_IDS = { root: 'builtin-ca/root.key', intermediate: 'builtin-ca/intermediate.key' } as const;

// Issuing CA 1 is the one the CA was made with, under the names it always had; each later one
// (made under the same root, see addIssuingCa) has files and a key of its own, and every one of
// them stays: a replaced issuing CA no longer issues, but still signs the CRL and OCSP answers for
// what it issued.

/** The certificate file of issuing CA `generation`. */
export function issuingCaFile(generation: number): string {
  return generation === 1 ? CA_FILES.intermediatePem : `intermediate-g${generation}.pem`;
}

/** The secret id (and sealing record id) of issuing CA `generation`'s key. */
export function issuingKeyId(generation: number): string {
  return generation === 1 ? SEALED_KEY_IDS.intermediate : `builtin-ca/intermediate-g${generation}.key`;
}

/** Where the CA's sealed keys are kept: the inventory's secrets table (see `inventorySealedKeys`). */
export interface SealedKeyStore {
  read(id: string): Buffer | undefined;
  write(id: string, dekHash: string, blob: Buffer): void;
}

/** The inventory's secrets table as the CA's SealedKeyStore; rotation rewraps what is there. */
export function inventorySealedKeys(store: {
  getSecret(id: string): { blob: Buffer } | undefined;
  putSecret(id: string, dekHash: string, blob: Uint8Array): void;
}): SealedKeyStore {
  return { read: (id) => store.getSecret(id)?.blob, write: (id, dekHash, blob) => store.putSecret(id, dekHash, blob) };
}

export interface CaMeta {
  version: 1;
  createdAt: string;
  /** The DEK the keys were first sealed under (a rotation moves them; their blobs say where they are now). */
  dekHash: string;
  keyAlgorithm: 'ECDSA P-384';
  /** What the current issuing CA's certificate permits (absent: unconstrained); fixed in each issuing CA when it is made. */
  nameConstraints?: NameConstraints;
  /** The issuing CA that issues now (absent: 1, the one the CA was made with). */
  issuingGeneration?: number;
}

/** One issuing CA as stored: its certificate and its sealed key. */
export interface IssuingCaFiles {
  generation: number;
  pem: string;
  sealedKey: Buffer;
}

export interface CaDirectory {
  dir: string;
  meta: CaMeta;
  rootPem: string;
  /** Every issuing CA the root has signed, oldest first: the last one issues, the others answer for what they issued. */
  issuing: IssuingCaFiles[];
  /** The root's CRL (DER); undefined when the root's key could not sign one (the log says why). */
  rootCrlDer?: Buffer;
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

// Sealed key files from before the move to the inventory: copied in (each blob keeps the DEK it
// is under), then deleted, so the next rotation rewraps them with everything else.
function migrateKeyFiles(dir: string, keys: SealedKeyStore, log: Logger): void {
  const files = [
    [SEALED_KEY_IDS.root, CA_FILES.rootKey],
    [SEALED_KEY_IDS.intermediate, CA_FILES.intermediateKey],
  ] as const;
  for (const [id, name] of files) {
    const path = join(dir, name);
    if (!existsSync(path)) continue;
    if (!keys.read(id)) {
      const blob = readFileSync(path);
      keys.write(id, readBlobDekHash(blob), blob);
      log.log('info', 'builtin-ca: moved a sealed key file into the inventory', { id });
    }
    rmSync(path);
  }
}

/** The issuing CA that issues now: the last one. */
export function currentIssuing(ca: Pick<CaDirectory, 'issuing'>): IssuingCaFiles {
  return ca.issuing[ca.issuing.length - 1]!;
}

function read(dir: string, keys: SealedKeyStore): Omit<CaDirectory, 'created'> {
  const meta = JSON.parse(readFileSync(join(dir, CA_FILES.meta), 'utf8')) as CaMeta;
  const issuing: IssuingCaFiles[] = [];
  for (let generation = 1; generation <= (meta.issuingGeneration ?? 1); generation++) {
    const id = issuingKeyId(generation);
    const sealedKey = keys.read(id);
    if (!sealedKey) {
      throw new Error(
        (generation === (meta.issuingGeneration ?? 1)
          ? `The built-in CA in ${dir} has no issuing key in the inventory (secret "${id}"), so it cannot issue. `
          : `The built-in CA in ${dir} has no key in the inventory for issuing CA ${generation}, which a later one replaced (secret "${id}"), so it cannot sign CRLs and OCSP answers for what that one issued. `) +
          `Restore the inventory from a backup, or move ${dir} away so a new CA is made at the next start.`,
      );
    }
    issuing.push({ generation, pem: readFileSync(join(dir, issuingCaFile(generation)), 'utf8'), sealedKey });
  }
  const rootCrlPath = join(dir, CA_FILES.rootCrl);
  return {
    dir,
    meta,
    rootPem: readFileSync(join(dir, CA_FILES.rootPem), 'utf8'),
    issuing,
    rootCrlDer: existsSync(rootCrlPath) ? readFileSync(rootCrlPath) : undefined,
  };
}

/** When the last issuing CA under the root expires: how long the root's CRL must stay valid. */
function lastNotAfter(pems: string[]): Date {
  return new Date(Math.max(...pems.map((pem) => new x509.X509Certificate(pem).notAfter.getTime())));
}

/** The root's key, unsealed into a non-extractable WebCrypto key, or why it cannot be. */
async function openRootKey(ca: Omit<CaDirectory, 'created'>, sealer: Sealer, keys: SealedKeyStore): Promise<CryptoKey | { why: string }> {
  const blob = keys.read(SEALED_KEY_IDS.root);
  if (!blob) return { why: `its key (secret "${SEALED_KEY_IDS.root}") is not in the inventory` };
  let pkcs8: Buffer;
  try {
    pkcs8 = sealer.open(SEALED_KEY_IDS.root, blob);
  } catch (e) {
    return { why: `its key cannot be opened (${(e as Error).message})` };
  }
  const der = new Uint8Array(pkcs8);
  pkcs8.fill(0);
  let key: CryptoKey;
  try {
    key = await subtle.importKey('pkcs8', der, CA_KEY_ALGORITHM, false, ['sign']);
  } finally {
    der.fill(0);
  }
  if (!(await caKeyMatchesCertificate(key, new x509.X509Certificate(ca.rootPem)))) return { why: `its key does not belong to ${join(ca.dir, CA_FILES.rootPem)}` };
  return key;
}

/**
 * What only the root can add to a CA: the root's CRL (a CA made by an older version lacks it), and
 * an intermediate that names it and the root's certificate where the PKI listener serves them now
 * (one made before intermediates did names nothing; after a change of the listener's base URL it
 * names the old one). The root's key is unsealed for this at a start that needs it, and dropped.
 * Without the key (sealed under another DEK, damaged) the CA works as before: the PKI listener then
 * says the root's CRL is missing, and the intermediate names what it named.
 */
async function completeWithRootKey(ca: Omit<CaDirectory, 'created'>, sealer: Sealer, keys: SealedKeyStore, log: Logger, rootPointers: RootPointers | undefined): Promise<Omit<CaDirectory, 'created'>> {
  const current = currentIssuing(ca);
  const intermediate = new x509.X509Certificate(current.pem);
  const reissue = rootPointers !== undefined && !namesRootAt(intermediate, rootPointers);
  if (ca.rootCrlDer && !reissue) return ca;
  const key = await openRootKey(ca, sealer, keys);
  if ('why' in key) {
    log.log('warn', `builtin-ca: the root cannot sign what this CA lacks (its CRL, or an intermediate naming it): ${key.why}`, { dir: ca.dir });
    return ca;
  }
  const root = new x509.X509Certificate(ca.rootPem);
  let { rootCrlDer } = ca;
  let pem = current.pem;
  if (reissue) {
    pem = await reissueIntermediate(root, intermediate, key, rootPointers);
    writeFileAtomicSync(join(ca.dir, issuingCaFile(current.generation)), pem, 0o600);
    log.log('info', "builtin-ca: the intermediate was issued again, naming the root's CRL and certificate where the PKI listener serves them", { dir: ca.dir, crlUrl: rootPointers.crlUrl });
  }
  if (!rootCrlDer) {
    rootCrlDer = Buffer.from(await signRootCrl(root, lastNotAfter(ca.issuing.map((i) => i.pem)), key, current.generation));
    writeFileAtomicSync(join(ca.dir, CA_FILES.rootCrl), rootCrlDer, 0o600);
    log.log('info', 'builtin-ca: the root signed its CRL', { dir: ca.dir });
  }
  return { ...ca, issuing: [...ca.issuing.slice(0, -1), { ...current, pem }], rootCrlDer };
}

/**
 * A new issuing CA under the existing root, with a new key and, when given, name constraints: from
 * now on it issues, so relying parties that trust the root need nothing new. The one it replaces
 * issues nothing more but keeps its key, its CRL and its OCSP answers for the certificates it
 * issued, which stay valid. The root's key is unsealed for this alone and dropped; the root signs
 * its CRL again to cover the new one's lifetime.
 *
 * Crash-safe: the sealed key, the certificate and the root's CRL are written first; ca.json, which
 * says which issuing CA issues, last. Interrupted before it, the CA is as it was, and the next
 * call writes over what was left.
 */
export async function addIssuingCa(dir: string, sealer: Sealer, keys: SealedKeyStore, log: Logger, order: { nameConstraints?: NameConstraints; rootPointers?: RootPointers }): Promise<{ generation: number; pem: string }> {
  if (!existsSync(join(dir, CA_FILES.meta))) {
    throw new Error(`There is no built-in CA in ${dir} yet: start the satellite once to make one (with --ca-permitted-dns for a constrained one).`);
  }
  migrateKeyFiles(dir, keys, log);
  const ca = read(dir, keys);
  const rootKey = await openRootKey(ca, sealer, keys);
  if ('why' in rootKey) throw new Error(`The built-in CA's root cannot sign a new issuing CA: ${rootKey.why}.`);
  const root = new x509.X509Certificate(ca.rootPem);
  const generation = currentIssuing(ca).generation + 1;
  const made = await createIssuingCa(root, rootKey, { commonName: issuingCaCommonName(caTagOf(root), generation), ...order, now: new Date() });
  const keyId = issuingKeyId(generation);
  try {
    keys.write(keyId, sealer.dekHash, sealer.seal(keyId, made.keyPkcs8));
  } finally {
    made.keyPkcs8.fill(0);
  }
  writeFileAtomicSync(join(dir, issuingCaFile(generation)), made.pem, 0o600);
  const rootCrl = await signRootCrl(root, lastNotAfter([...ca.issuing.map((i) => i.pem), made.pem]), rootKey, generation);
  writeFileAtomicSync(join(dir, CA_FILES.rootCrl), rootCrl, 0o600);
  const { nameConstraints: _previous, ...rest } = ca.meta;
  const meta: CaMeta = { ...rest, issuingGeneration: generation, ...(order.nameConstraints ? { nameConstraints: order.nameConstraints } : {}) };
  writeFileAtomicSync(join(dir, CA_FILES.meta), JSON.stringify(meta, null, 2), 0o600);
  log.log('info', 'builtin-ca: the root signed a new issuing CA; the one before issues no more and answers for what it issued', {
    dir,
    generation,
    subject: made.certificate.subject,
    nameConstraints: order.nameConstraints ?? null,
  });
  return { generation, pem: made.pem };
}

/**
 * Loads the CA in `dir` with its keys from `keys`, creating it (crash-safe) on first run. With
 * `rootPointers` (where a PKI listener serves the root's CRL and certificate) a new intermediate
 * names them, and one that names none or other URLs is issued again, once, to name them.
 */
export async function openCaDirectory(dir: string, sealer: Sealer, keys: SealedKeyStore, log: Logger, nameConstraints?: NameConstraints, rootPointers?: RootPointers): Promise<CaDirectory> {
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true, mode: 0o700 });
  removeStalePartials(dir, log);

  if (existsSync(join(dir, CA_FILES.meta))) {
    migrateKeyFiles(dir, keys, log);
    const existing = read(dir, keys);
    // A CA's constraints are in its certificate: they cannot change, and are never dropped silently.
    if (nameConstraints && JSON.stringify(existing.meta.nameConstraints ?? null) !== JSON.stringify(nameConstraints)) {
      const had = existing.meta.nameConstraints ? describeNameConstraints(existing.meta.nameConstraints) : 'no name constraints';
      throw new Error(
        `The built-in CA in ${dir} issues with ${had}; an issuing CA's name constraints are fixed in its certificate when it is made. Start without the constraint options to use it, ` +
          `or run once with --new-issuing-ca and the constraints you want: the same root then signs a new issuing CA that has them (nothing new to trust).`,
      );
    }
    return { ...(await completeWithRootKey(existing, sealer, keys, log, rootPointers)), created: false };
  }
  if (existsSync(dir) && !isEmptyDir(dir)) {
    throw new Error(`The built-in CA directory ${dir} exists but has no ${CA_FILES.meta}; move its contents away (or choose another directory) so a new CA can be made there.`);
  }

  const material = await createCaMaterial(new Date(), nameConstraints, rootPointers);
  const meta: CaMeta = { version: 1, createdAt: new Date().toISOString(), dekHash: sealer.dekHash, keyAlgorithm: 'ECDSA P-384', ...(nameConstraints ? { nameConstraints } : {}) };
  // Keys first: sealed keys left by an interrupted first run are overwritten here.
  keys.write(SEALED_KEY_IDS.root, sealer.dekHash, sealer.seal(SEALED_KEY_IDS.root, material.rootKeyPkcs8));
  keys.write(SEALED_KEY_IDS.intermediate, sealer.dekHash, sealer.seal(SEALED_KEY_IDS.intermediate, material.intermediateKeyPkcs8));
  material.rootKeyPkcs8.fill(0);
  material.intermediateKeyPkcs8.fill(0);

  const tmp = mkdtempSync(join(parent, `.${basename(dir)}${PARTIAL}`));
  const write = (name: string, data: string | Uint8Array): void => writeFileSync(join(tmp, name), data, { mode: 0o600, flush: true });
  write(CA_FILES.rootPem, material.rootPem);
  write(CA_FILES.intermediatePem, material.intermediatePem);
  write(CA_FILES.rootCrl, material.rootCrlDer);
  // ca.json last: its presence is what marks the directory complete.
  write(CA_FILES.meta, JSON.stringify(meta, null, 2));
  fsyncPath(tmp);

  try {
    if (existsSync(dir)) rmdirSync(dir); // empty (checked above); Windows cannot rename onto it
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  fsyncPath(parent);
  log.log('info', 'builtin-ca: created a root and an issuing intermediate', { dir });
  return { ...read(dir, keys), created: true };
}
