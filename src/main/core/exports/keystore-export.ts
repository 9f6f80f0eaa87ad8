import { keystoreExportOptionsSchema, type KeystoreExportOptions } from '../../../shared/exports';
import type { ExportResult } from './types';
import { parseChain } from './certificates';
import { fileBaseName } from './file-name';
import { buildJks } from './jks/jks-export';
import { assertFormatHoldsKey, assertKeyMatchesCertificate, privateKeyFromPkcs8, type KeystoreKind } from './key-type';
import { buildPemBundle } from './pem-bundle';
import { buildPkcs12 } from './pkcs12/pkcs12-export';
import type { BuiltKeystore, CheckedMaterial, KeyMaterial } from './types';
import { parseOptions } from './validation';

const KIND = { PEM: 'PEM', PKCS12: 'PKCS#12', JKS: 'JKS' } as const satisfies Record<string, KeystoreKind>;
const FILE = {
  PEM: { extension: 'zip', mediaType: 'application/zip' },
  PKCS12: { extension: 'p12', mediaType: 'application/x-pkcs12' },
  JKS: { extension: 'jks', mediaType: 'application/x-java-keystore' },
} as const;

/** The chain links, the key belongs to its certificate, and `kind` can hold that key: checked before anything is built. */
export function checkMaterial(material: KeyMaterial, kind: KeystoreKind): CheckedMaterial {
  const chain = parseChain(material.certificatePem, material.chainPems);
  const key = privateKeyFromPkcs8(material.pkcs8);
  assertFormatHoldsKey(kind, key);
  assertKeyMatchesCertificate(key, chain.endEntity, 'certificatePem');
  return { pkcs8: material.pkcs8, key, chain };
}

/**
 * The one keystore export, for the UI, IPC and REST alike. Checks the options, that the
 * format can hold the key type and that the key belongs to the certificate before building
 * anything; re-reads the result before returning it. `material.pkcs8` is wiped either way.
 *
 * Passphrases: PEM and PKCS#12 use privateKeyPassphrase; JKS uses it as the key password and
 * keystorePassphrase (defaulting to the same) as the store password.
 */
export function exportKeystore(material: KeyMaterial, options: KeystoreExportOptions, commonName: string): ExportResult {
  try {
    const opts = parseOptions(keystoreExportOptionsSchema, options);
    const checked = checkMaterial(material, KIND[opts.exportFormat]);
    const name = fileBaseName(commonName);
    const label = opts.certificateLabel ?? (commonName || name);

    let built: BuiltKeystore;
    switch (opts.exportFormat) {
      case 'PEM':
        built = buildPemBundle(checked, name, opts.privateKeyPassphrase);
        break;
      case 'PKCS12':
        built = buildPkcs12(checked, label, opts.privateKeyPassphrase, opts.pkcs12Profile);
        break;
      case 'JKS':
        built = buildJks(checked, label, opts.keystorePassphrase ?? opts.privateKeyPassphrase, opts.privateKeyPassphrase);
        break;
    }
    const file = FILE[opts.exportFormat];
    return {
      bytes: built.bytes,
      summary: { fileName: `${name}.${file.extension}`, mediaType: file.mediaType, scheme: built.scheme, sizeBytes: built.bytes.length },
    };
  } finally {
    material.pkcs8.fill(0);
  }
}
