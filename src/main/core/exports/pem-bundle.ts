import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { certificatesDer, toPem } from '../pki/pem';
import type { CertificateChain } from './certificates';
import { PEM_KEY_SCHEME, encryptedPemKey, readEncryptedPemKey } from './pem-key';
import type { BuiltKeystore, CheckedMaterial } from './types';
import { assertRereadMatches, rereadFailed } from './verification';

// The cloud's PEM keystore: a ZIP of
//   <name>.key             the private key, encrypted PKCS#8 (PBES2) under the key passphrase
//   <name>.crt             the end-entity certificate
//   <name>_root-first.pem  root (or topmost issuer) ... issuer, end entity
//   <name>_root-last.pem   end entity, issuer ... root: what Apache and Nginx want as the chain file

export function pemBundleMembers(name: string): { key: string; crt: string; rootFirst: string; rootLast: string } {
  return { key: `${name}.key`, crt: `${name}.crt`, rootFirst: `${name}_root-first.pem`, rootLast: `${name}_root-last.pem` };
}

// A blank line between certificates, as the cloud writes its bundles: its clients split on it.
const pems = (ders: Buffer[]) => ders.map((d) => toPem(d, 'CERTIFICATE')).join('\n');

export function buildPemBundle(material: CheckedMaterial, name: string, passphrase: string): BuiltKeystore {
  const { chain } = material;
  const members = pemBundleMembers(name);
  const eeFirst = [chain.endEntity, ...chain.issuers];
  const bytes = Buffer.from(
    zipSync({
      [members.key]: strToU8(encryptedPemKey(material.pkcs8, passphrase)),
      [members.crt]: strToU8(toPem(chain.endEntity, 'CERTIFICATE')),
      [members.rootFirst]: strToU8(pems([...eeFirst].reverse())),
      [members.rootLast]: strToU8(pems(eeFirst)),
    }),
  );
  return { bytes, scheme: checkPemBundle(bytes, name, passphrase, chain) };
}

function checkPemBundle(bytes: Buffer, name: string, passphrase: string, expected: CertificateChain): string {
  const files = unzipSync(bytes);
  const members = pemBundleMembers(name);
  const text = (member: string) => {
    const data = files[member];
    if (!data) throw rereadFailed('PEM', `the ZIP has no ${member}`);
    return strFromU8(data);
  };
  const key = readEncryptedPemKey(text(members.key), passphrase);
  if (key.scheme !== 'PBES2-AES-256-CBC-PBKDF2-HMAC-SHA256') {
    key.plaintext.fill(0);
    throw rereadFailed('PEM', `the key is protected with ${key.scheme}, not PBES2`);
  }
  const crt = certificatesDer(text(members.crt));
  if (crt.length !== 1) throw rereadFailed('PEM', `${members.crt} holds ${crt.length} certificates, expected 1`);
  const rootLast = certificatesDer(text(members.rootLast));
  const rootFirst = certificatesDer(text(members.rootFirst)).reverse();
  const asChain = (ders: Buffer[]): CertificateChain => ({ endEntity: ders[0] ?? Buffer.alloc(0), issuers: ders.slice(1) });
  assertRereadMatches('PEM', key.plaintext, { endEntity: crt[0]!, issuers: expected.issuers }, expected);
  for (const [member, ders] of [[members.rootLast, rootLast], [members.rootFirst, rootFirst]] as const) {
    const chain = asChain(ders);
    if (!chain.endEntity.equals(expected.endEntity) || chain.issuers.length !== expected.issuers.length || !chain.issuers.every((c, i) => c.equals(expected.issuers[i]!))) {
      throw rereadFailed('PEM', `${member} does not hold the chain in its order`);
    }
  }
  return `PEM ZIP: key as ${PEM_KEY_SCHEME}; certificate; chain root first and root last (${1 + expected.issuers.length} certificates)`;
}
