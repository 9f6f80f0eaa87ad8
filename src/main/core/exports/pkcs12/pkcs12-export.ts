import type { Pkcs12Profile } from '../../../../shared/exports';
import type { BuiltKeystore, CheckedMaterial } from '../types';
import { assertRereadMatches, rereadFailed } from '../verification';
import { PKCS12_PROFILE_SPECS } from './profiles';
import { localKeyIdFor, writePkcs12 } from './pkcs12-writer';
import { readPkcs12 } from './pkcs12-reader';

const BAG_SCHEME = { PBES2: 'PBES2-AES-256-CBC-PBKDF2-HMAC-SHA256', 'PBE-SHA1-3DES': 'PBE-SHA1-3DES' } as const;

export function buildPkcs12(material: CheckedMaterial, label: string, password: string, profile: Pkcs12Profile): BuiltKeystore {
  const spec = PKCS12_PROFILE_SPECS[profile];
  const bytes = writePkcs12({ pkcs8: material.pkcs8, chain: material.chain, friendlyName: label, password, profile: spec });

  const read = readPkcs12(bytes, password);
  const wanted = BAG_SCHEME[spec.bags];
  // Key bag + certificate SafeContents: two encrypted parts, both with the profile's scheme.
  if (read.schemes.length !== 2 || read.schemes.some((s) => s !== wanted)) {
    read.pkcs8.fill(0);
    throw rereadFailed('PKCS#12', `the bags use ${read.schemes.join(' + ')}, expected ${wanted} for both`);
  }
  if (read.mac !== spec.mac) {
    read.pkcs8.fill(0);
    throw rereadFailed('PKCS#12', `the MAC uses ${read.mac}, expected ${spec.mac}`);
  }
  const keyId = localKeyIdFor(material.chain.endEntity);
  const ee = read.certificates.find((c) => c.localKeyId?.equals(keyId));
  if (!ee || !read.keyLocalKeyId?.equals(keyId) || read.keyFriendlyName !== label || ee.friendlyName !== label) {
    read.pkcs8.fill(0);
    throw rereadFailed('PKCS#12', 'the key and certificate do not carry the same friendlyName and localKeyId');
  }
  const issuers = read.certificates.filter((c) => c !== ee).map((c) => c.der);
  assertRereadMatches('PKCS#12', read.pkcs8, { endEntity: ee.der, issuers }, material.chain);
  return { bytes, scheme: spec.scheme };
}
