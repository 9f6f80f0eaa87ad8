import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DEK_LENGTH, type DekStore, type StoredDek } from '../dek-store';
import { computeDekHash } from '../derive';
import { writeFileAtomic } from '../../fs/atomic-write';
import { MIN_PASSPHRASE_LENGTH } from '../file/file-dek-store';
import { DEFAULT_SCRYPT_N, SALT_LENGTH, SCRYPT_P, SCRYPT_R, deriveWrappingKey, scryptParamsProblem } from '../file/scrypt-params';
import { LAST_BACKUP_META } from './meta-keys';
import { DekBackupFormatError, DekBackupPassphraseError, DekBackupPassphraseTooShortError, DekMissingError } from './errors';
import { ownSecret } from '../../vault/own-secret';

// A DEK backup is a small JSON file the user keeps somewhere safe:
//   { format, version, dekHash, dekCreatedAt, createdAt,
//     kdf: { name: "scrypt", N, r, p, salt }, cipher: { name: "aes-256-gcm", nonce }, ciphertext }
// ciphertext = AES-256-GCM(scrypt(passphrase), DEK) || tag, with every other field as the
// associated data: a changed dekHash, date or KDF parameter fails exactly like a wrong passphrase.
// The dekHash is readable without the passphrase so a restore can name which DEK a file holds.

export const DEK_BACKUP_FORMAT = 'keypair-satellite-dek-backup';
export const DEK_BACKUP_VERSION = 1;
const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;
const MAX_BACKUP_BYTES = 64 * 1024;

export interface DekBackupOptions {
  /** scrypt cost; tests pass 2^14 (the floor). Default 2^17. */
  scryptN?: number;
  now?: () => Date;
}

/** What a backup file says about itself, readable without the passphrase. */
export interface DekBackupHeader {
  format: typeof DEK_BACKUP_FORMAT;
  version: typeof DEK_BACKUP_VERSION;
  dekHash: string;
  /** When the DEK itself was made. */
  dekCreatedAt: string;
  /** When this backup was made. */
  createdAt: string;
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  cipher: { name: 'aes-256-gcm'; nonce: string };
}

interface DekBackupFile extends DekBackupHeader {
  ciphertext: string;
}

export function assertBackupPassphrase(passphrase: string): void {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) throw new DekBackupPassphraseTooShortError(passphrase.length, MIN_PASSPHRASE_LENGTH);
}

/** The DEK in `store`, wrapped under `passphrase`, as the bytes of a backup file. */
export async function backupDek(store: DekStore, passphrase: string, options: DekBackupOptions = {}): Promise<Buffer> {
  assertBackupPassphrase(passphrase);
  const scryptN = options.scryptN ?? DEFAULT_SCRYPT_N;
  const badN = scryptParamsProblem({ N: scryptN, r: SCRYPT_R, p: SCRYPT_P, saltLength: SALT_LENGTH });
  if (badN) throw new Error(`backupDek option scryptN: ${badN}.`);
  const stored = await store.read();
  if (!stored) throw new DekMissingError(store.backend, undefined);
  try {
    const salt = randomBytes(SALT_LENGTH);
    const nonce = randomBytes(NONCE_LENGTH);
    const header: DekBackupHeader = {
      format: DEK_BACKUP_FORMAT,
      version: DEK_BACKUP_VERSION,
      dekHash: computeDekHash(stored.key),
      dekCreatedAt: stored.createdAt,
      createdAt: (options.now?.() ?? new Date()).toISOString(),
      kdf: { name: 'scrypt', N: scryptN, r: SCRYPT_R, p: SCRYPT_P, salt: salt.toString('base64') },
      cipher: { name: 'aes-256-gcm', nonce: nonce.toString('base64') },
    };
    const kek = await deriveWrappingKey(passphrase, { N: scryptN, r: SCRYPT_R, p: SCRYPT_P, salt });
    try {
      const cipher = createCipheriv('aes-256-gcm', kek, nonce, { authTagLength: TAG_LENGTH });
      cipher.setAAD(associatedData(header));
      const ciphertext = Buffer.concat([cipher.update(stored.key), cipher.final(), cipher.getAuthTag()]);
      const file: DekBackupFile = { ...header, ciphertext: ciphertext.toString('base64') };
      return Buffer.from(JSON.stringify(file, null, 2) + '\n', 'utf8');
    } finally {
      kek.fill(0);
    }
  } finally {
    stored.key.fill(0);
  }
}

/** The header of a backup file, checked for shape and safe KDF parameters; no passphrase needed. */
export function readDekBackupHeader(bytes: Uint8Array): DekBackupHeader {
  return parseBackup(bytes).header;
}

/** The DEK in a backup. Throws DekBackupPassphraseError for a wrong passphrase or an altered file. */
export async function openDekBackup(bytes: Uint8Array, passphrase: string): Promise<StoredDek & { dekHash: string }> {
  const { header, ciphertext } = parseBackup(bytes);
  const salt = Buffer.from(header.kdf.salt, 'base64');
  const nonce = Buffer.from(header.cipher.nonce, 'base64');
  const kek = await deriveWrappingKey(passphrase, { N: header.kdf.N, r: header.kdf.r, p: header.kdf.p, salt });
  let key: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, nonce, { authTagLength: TAG_LENGTH });
    decipher.setAAD(associatedData(header));
    decipher.setAuthTag(ciphertext.subarray(DEK_LENGTH));
    key = ownSecret(decipher.update(ciphertext.subarray(0, DEK_LENGTH)), decipher.final());
  } catch {
    throw new DekBackupPassphraseError();
  } finally {
    kek.fill(0);
  }
  // Authenticated, so this only fails for a file made by something else than backupDek.
  if (computeDekHash(key) !== header.dekHash) {
    key.fill(0);
    throw new DekBackupFormatError('its dekHash does not match the DEK inside');
  }
  return { key, createdAt: header.dekCreatedAt, dekHash: header.dekHash };
}

/** What a written backup holds; no secret in it. */
export interface DekBackupSummary {
  path: string;
  dekHash: string;
  createdAt: string;
}

/** Where writeDekBackup records the date of the last backup (meta 'dekLastBackupDate'). */
export interface BackupMeta {
  setMeta(key: string, value: string): void;
}

/**
 * Writes the backup to `path` (atomically, mode 0600), opens it again with the passphrase to
 * prove it restores, then records the date as the last backup.
 */
export async function writeDekBackup(
  path: string,
  store: DekStore,
  passphrase: string,
  meta: BackupMeta,
  options: DekBackupOptions = {},
): Promise<DekBackupSummary> {
  const bytes = await backupDek(store, passphrase, options);
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFileAtomic(path, bytes, 0o600);
  const proof = await openDekBackup(await readFile(path), passphrase);
  proof.key.fill(0);
  const header = readDekBackupHeader(bytes);
  meta.setMeta(LAST_BACKUP_META, header.createdAt);
  return { path, dekHash: header.dekHash, createdAt: header.createdAt };
}

function parseBackup(bytes: Uint8Array): { header: DekBackupHeader; ciphertext: Buffer } {
  if (bytes.byteLength > MAX_BACKUP_BYTES) throw new DekBackupFormatError(`${bytes.byteLength} bytes is far larger than a backup`);
  let doc: Partial<DekBackupFile>;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString('utf8')) as Partial<DekBackupFile>;
  } catch {
    throw new DekBackupFormatError('it is not JSON');
  }
  if (typeof doc !== 'object' || doc === null) throw new DekBackupFormatError('it is not a JSON object');
  if (doc.format !== DEK_BACKUP_FORMAT) throw new DekBackupFormatError(`"format" is ${JSON.stringify(doc.format)}, expected "${DEK_BACKUP_FORMAT}"`);
  if (doc.version !== DEK_BACKUP_VERSION) throw new DekBackupFormatError(`"version" is ${JSON.stringify(doc.version)}, expected ${DEK_BACKUP_VERSION}`);
  if (typeof doc.dekHash !== 'string' || !/^[0-9a-f]{64}$/.test(doc.dekHash)) throw new DekBackupFormatError('"dekHash" is not 64 hex characters');
  for (const field of ['dekCreatedAt', 'createdAt'] as const) {
    const value = doc[field];
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw new DekBackupFormatError(`"${field}" is not an ISO 8601 date`);
  }
  const { kdf, cipher } = doc;
  if (kdf?.name !== 'scrypt') throw new DekBackupFormatError(`"kdf.name" is ${JSON.stringify(kdf?.name)}, expected "scrypt"`);
  if (cipher?.name !== 'aes-256-gcm') throw new DekBackupFormatError(`"cipher.name" is ${JSON.stringify(cipher?.name)}, expected "aes-256-gcm"`);
  const salt = Buffer.from(String(kdf.salt), 'base64');
  // The bounds keep a crafted file from choosing a weak key or a huge scrypt allocation.
  const problem = scryptParamsProblem({ N: kdf.N, r: kdf.r, p: kdf.p, saltLength: salt.length });
  if (problem) throw new DekBackupFormatError(`"kdf": ${problem}`);
  if (Buffer.from(String(cipher.nonce), 'base64').length !== NONCE_LENGTH) throw new DekBackupFormatError(`"cipher.nonce" is not ${NONCE_LENGTH} bytes`);
  const ciphertext = Buffer.from(String(doc.ciphertext), 'base64');
  if (ciphertext.length !== DEK_LENGTH + TAG_LENGTH) throw new DekBackupFormatError(`"ciphertext" is ${ciphertext.length} bytes, expected ${DEK_LENGTH + TAG_LENGTH}`);
  const header: DekBackupHeader = {
    format: DEK_BACKUP_FORMAT,
    version: DEK_BACKUP_VERSION,
    dekHash: doc.dekHash,
    dekCreatedAt: doc.dekCreatedAt!,
    createdAt: doc.createdAt!,
    kdf: { name: 'scrypt', N: kdf.N, r: kdf.r, p: kdf.p, salt: String(kdf.salt) },
    cipher: { name: 'aes-256-gcm', nonce: String(cipher.nonce) },
  };
  return { header, ciphertext };
}

// Everything but the ciphertext, in a fixed order.
function associatedData(h: DekBackupHeader): Buffer {
  return Buffer.from(
    JSON.stringify([h.format, h.version, h.dekHash, h.dekCreatedAt, h.createdAt, h.kdf.name, h.kdf.N, h.kdf.r, h.kdf.p, h.kdf.salt, h.cipher.name, h.cipher.nonce]),
    'utf8',
  );
}
