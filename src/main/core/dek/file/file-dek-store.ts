import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DEK_LENGTH, DekStoreUnavailableError, type DekStore, type StoredDek } from '../dek-store';
import { assertStoredDek } from '../stored-dek-json';
import { writeFileAtomic } from '../../fs/atomic-write';
import { DEFAULT_SCRYPT_N, SALT_LENGTH, SCRYPT_P, SCRYPT_R, deriveWrappingKey, scryptParamsProblem, type ScryptParams } from './scrypt-params';
import { ownSecret } from '../../vault/own-secret';

export const DEK_PASSPHRASE_ENV = 'SATELLITE_DEK_PASSPHRASE';
export const MIN_PASSPHRASE_LENGTH = 12;
const FORMAT = 'keypair-satellite-dek-file';
const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;

/** The file exists but the passphrase does not open it (or the file was altered). */
export class DekFilePassphraseError extends DekStoreUnavailableError {
  constructor(backend: string, path: string) {
    super(
      backend,
      `the passphrase does not open ${path} (wrong passphrase, or the file was modified)`,
      `set ${DEK_PASSPHRASE_ENV} to the passphrase this file was made with, or restore the file from a backup`,
    );
    this.name = 'DekFilePassphraseError';
  }
}

interface DekFileV1 {
  format: typeof FORMAT;
  v: 1;
  createdAt: string;
  kdf: { name: 'scrypt'; N: number; r: number; p: number; salt: string };
  cipher: { name: 'aes-256-gcm'; nonce: string };
  /** AES-256-GCM ciphertext of the DEK followed by the 16-byte tag. */
  wrappedKey: string;
}

export interface FileDekStoreOptions {
  /** scrypt cost for newly written files; reads use what the file says. */
  scryptN?: number;
}

/**
 * The DEK in a file, wrapped under a passphrase: scrypt (parameters in the file) then
 * AES-256-GCM. An explicit opt-in for headless servers with no keychain; never a fallback.
 */
export function fileDekStore(path: string, passphrase: string, options: FileDekStoreOptions = {}): DekStore {
  const file = resolve(path);
  const backend = `Passphrase-wrapped file ${file}`;
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw new DekStoreUnavailableError(
      backend,
      `the DEK passphrase is ${passphrase.length === 0 ? 'empty' : `only ${passphrase.length} characters`}`,
      `choose a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters (set ${DEK_PASSPHRASE_ENV})`,
    );
  }
  const scryptN = options.scryptN ?? DEFAULT_SCRYPT_N;
  const badN = scryptParamsProblem({ N: scryptN, r: SCRYPT_R, p: SCRYPT_P, saltLength: SALT_LENGTH });
  if (badN) throw new Error(`fileDekStore option scryptN: ${badN}.`);

  const corrupt = (problem: string, cause?: unknown) =>
    new DekStoreUnavailableError(backend, `${file} is not a valid DEK file: ${problem}`, 'restore the file from a backup', { cause });

  return {
    kind: 'file',
    backend,
    async read(): Promise<StoredDek | null> {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw new DekStoreUnavailableError(backend, `cannot read ${file}: ${(err as Error).message}`, 'check the file and its permissions', { cause: err });
      }
      let doc: DekFileV1;
      try {
        doc = JSON.parse(text) as DekFileV1;
      } catch (err) {
        throw corrupt('not JSON', err);
      }
      if (doc?.format !== FORMAT || doc.v !== 1) throw corrupt(`unknown format ${JSON.stringify(doc?.format)} version ${JSON.stringify(doc?.v)}`);
      if (doc.kdf?.name !== 'scrypt' || doc.cipher?.name !== 'aes-256-gcm') throw corrupt('unknown kdf or cipher');
      const salt = Buffer.from(String(doc.kdf.salt), 'base64');
      const problem = scryptParamsProblem({ N: doc.kdf.N, r: doc.kdf.r, p: doc.kdf.p, saltLength: salt.length });
      if (problem) throw corrupt(problem);
      const nonce = Buffer.from(String(doc.cipher.nonce), 'base64');
      const wrapped = Buffer.from(String(doc.wrappedKey), 'base64');
      if (nonce.length !== NONCE_LENGTH || wrapped.length !== DEK_LENGTH + TAG_LENGTH) throw corrupt('wrong nonce or wrapped key length');
      if (typeof doc.createdAt !== 'string' || Number.isNaN(Date.parse(doc.createdAt))) throw corrupt('no valid createdAt');

      const kek = await deriveWrappingKey(passphrase, { N: doc.kdf.N, r: doc.kdf.r, p: doc.kdf.p, salt });
      try {
        const decipher = createDecipheriv('aes-256-gcm', kek, nonce, { authTagLength: TAG_LENGTH });
        decipher.setAAD(associatedData(doc));
        decipher.setAuthTag(wrapped.subarray(DEK_LENGTH));
        const key = ownSecret(decipher.update(wrapped.subarray(0, DEK_LENGTH)), decipher.final());
        return { key, createdAt: doc.createdAt };
      } catch {
        throw new DekFilePassphraseError(backend, file);
      } finally {
        kek.fill(0);
      }
    },
    async write(dek: StoredDek): Promise<void> {
      assertStoredDek(dek);
      const params: ScryptParams = { N: scryptN, r: SCRYPT_R, p: SCRYPT_P, salt: randomBytes(SALT_LENGTH) };
      const nonce = randomBytes(NONCE_LENGTH);
      const doc: DekFileV1 = {
        format: FORMAT,
        v: 1,
        createdAt: dek.createdAt,
        kdf: { name: 'scrypt', N: params.N, r: params.r, p: params.p, salt: params.salt.toString('base64') },
        cipher: { name: 'aes-256-gcm', nonce: nonce.toString('base64') },
        wrappedKey: '',
      };
      const kek = await deriveWrappingKey(passphrase, params);
      try {
        const cipher = createCipheriv('aes-256-gcm', kek, nonce, { authTagLength: TAG_LENGTH });
        cipher.setAAD(associatedData(doc));
        doc.wrappedKey = Buffer.concat([cipher.update(dek.key), cipher.final(), cipher.getAuthTag()]).toString('base64');
      } finally {
        kek.fill(0);
      }
      await mkdir(dirname(file), { recursive: true, mode: 0o700 });
      await writeFileAtomic(file, JSON.stringify(doc, null, 2) + '\n', 0o600);
    },
    async remove(): Promise<void> {
      await unlink(file).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
    },
  };
}

// Binds everything but the ciphertext, so a changed parameter or date fails like a wrong passphrase.
function associatedData(doc: DekFileV1): Buffer {
  const { format, v, createdAt, kdf, cipher } = doc;
  return Buffer.from(JSON.stringify([format, v, createdAt, kdf.name, kdf.N, kdf.r, kdf.p, kdf.salt, cipher.name, cipher.nonce]), 'utf8');
}

/** The DEK file passphrase from the environment; a clear error when it is unset. */
export function passphraseFromEnv(name = DEK_PASSPHRASE_ENV, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new DekStoreUnavailableError(
      'Passphrase-wrapped file',
      `the environment variable ${name} is ${value === undefined ? 'not set' : 'empty'}`,
      `export ${name}=<a passphrase of at least ${MIN_PASSPHRASE_LENGTH} characters> before starting the satellite with --dek-store file`,
    );
  }
  return value;
}
