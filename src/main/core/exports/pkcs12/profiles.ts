import type { Pkcs12Profile } from '../../../../shared/exports';
import type { KeyEncryption } from '../encrypted-private-key-info';

export interface Pkcs12ProfileSpec {
  /** One scheme for both the key bag and the encrypted certificate SafeContents: never mixed. */
  bags: KeyEncryption;
  mac: 'sha1' | 'sha256';
  /** What the summary shows, as re-read from the file. */
  scheme: string;
}

/** Named profiles, not algorithm pickers (reference/keystores.md). */
export const PKCS12_PROFILE_SPECS: Record<Pkcs12Profile, Pkcs12ProfileSpec> = {
  MODERN: { bags: 'PBES2', mac: 'sha256', scheme: 'PKCS#12 Modern: AES-256-CBC + PBKDF2-HMAC-SHA256 for key and certificates, MAC HMAC-SHA256' },
  COMPATIBLE: { bags: 'PBE-SHA1-3DES', mac: 'sha1', scheme: 'PKCS#12 Compatible: PBE-SHA1-3DES for key and certificates, MAC HMAC-SHA1' },
};
