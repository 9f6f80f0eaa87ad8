import type { BuiltKeystore, CheckedMaterial } from '../types';
import { assertRereadMatches, rereadFailed } from '../verification';
import { jksAlias, readJks, writeJks } from './jks-format';
import { protectKey, recoverKey } from './key-protector';

export const JKS_SCHEME = 'JKS: key protected by Sun KeyProtector (key password), store sealed with SHA-1 (store password)';

export function buildJks(material: CheckedMaterial, label: string, storePassword: string, keyPassword: string): BuiltKeystore {
  const { chain } = material;
  const bytes = writeJks(
    { alias: label, date: new Date(), protectedKey: protectKey(material.pkcs8, keyPassword), chain: [chain.endEntity, ...chain.issuers] },
    storePassword,
  );

  const read = readJks(bytes, storePassword);
  const entry = read.privateKeys[0];
  if (read.privateKeys.length !== 1 || read.trustedCertificates !== 0 || !entry) throw rereadFailed('JKS', 'the store does not hold exactly one PrivateKeyEntry');
  if (entry.alias !== jksAlias(label)) throw rereadFailed('JKS', `the alias is "${entry.alias}", expected "${jksAlias(label)}"`);
  const [endEntity, ...issuers] = entry.chain;
  if (!endEntity) throw rereadFailed('JKS', 'the entry has no certificate chain');
  assertRereadMatches('JKS', recoverKey(entry.protectedKey, keyPassword), { endEntity, issuers }, chain);
  return { bytes, scheme: `${JKS_SCHEME}; alias "${entry.alias}", chain of ${entry.chain.length}` };
}
