import type { Pkcs12Profile } from '../../../shared/exports';
import { toPem } from '../pki/pem';
import { buildJks } from './jks/jks-export';
import { checkMaterial } from './keystore-export';
import { encryptedPemKey } from './pem-key';
import { buildPkcs12 } from './pkcs12/pkcs12-export';
import type { KeyMaterial } from './types';

/** One file of an installation: what it holds, where it goes, and the mode it gets when new. */
export interface InstallationFile {
  role: 'certificate' | 'chain' | 'key' | 'keystore';
  path: string;
  bytes: Buffer;
  /** For a file that does not exist yet; an existing file keeps its own mode. */
  defaultMode: number;
}

/** What a file-based installation writes, with its passwords in clear (main process only, never stored so). */
export type InstallationFileSpec =
  | { format: 'PEM'; file: string; chainFile: string; keyFile: string; fullChainInFile?: boolean; keyPassword?: string; unencryptedKey?: boolean }
  | { format: 'PKCS12'; file: string; keyPassword: string; profile: Pkcs12Profile; label: string }
  | { format: 'JKS'; file: string; jksAlias: string; jksPassword: string; keyPassword?: string };

/**
 * The files of an installation, built from the certificate, its chain (issuer first) and the
 * key, checked as a download is (the key belongs to the certificate, the format holds it).
 * `material.pkcs8` is wiped either way.
 */
export function installationFiles(material: KeyMaterial, spec: InstallationFileSpec): { files: InstallationFile[]; scheme: string } {
  try {
    switch (spec.format) {
      case 'PEM': {
        const checked = checkMaterial(material, 'PEM');
        const issuers = checked.chain.issuers.map((der) => toPem(der, 'CERTIFICATE')).join('');
        const certificate = toPem(checked.chain.endEntity, 'CERTIFICATE') + (spec.fullChainInFile ? issuers : '');
        const key = spec.keyPassword ? encryptedPemKey(checked.pkcs8, spec.keyPassword) : toPem(Buffer.from(checked.pkcs8), 'PRIVATE KEY');
        return {
          files: [
            { role: 'certificate', path: spec.file, bytes: Buffer.from(certificate), defaultMode: 0o644 },
            { role: 'chain', path: spec.chainFile, bytes: Buffer.from(issuers), defaultMode: 0o644 },
            { role: 'key', path: spec.keyFile, bytes: Buffer.from(key), defaultMode: 0o600 },
          ],
          scheme: `PEM: certificate${spec.fullChainInFile ? ' and chain' : ''}, chain (${checked.chain.issuers.length}), key ${spec.keyPassword ? 'encrypted (PKCS#8 PBES2)' : 'unencrypted (PKCS#8)'}`,
        };
      }
      case 'PKCS12': {
        const built = buildPkcs12(checkMaterial(material, 'PKCS#12'), spec.label, spec.keyPassword, spec.profile);
        return { files: [{ role: 'keystore', path: spec.file, bytes: built.bytes, defaultMode: 0o600 }], scheme: built.scheme };
      }
      case 'JKS': {
        const built = buildJks(checkMaterial(material, 'JKS'), spec.jksAlias, spec.jksPassword, spec.keyPassword ?? spec.jksPassword);
        return { files: [{ role: 'keystore', path: spec.file, bytes: built.bytes, defaultMode: 0o600 }], scheme: built.scheme };
      }
    }
  } finally {
    material.pkcs8.fill(0);
  }
}
