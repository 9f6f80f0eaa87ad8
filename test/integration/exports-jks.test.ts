import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportKeystore } from '../../src/main/core/exports';
import { writeFileAtomicSync } from '../../src/main/core/fs/atomic-write';
import { describeWithTools, TOOLS } from '../helpers/tools';
import { certificatePublicKeyPem, makeOpensslPkis, PKI_KEY_TYPES, runKeytool, runTool, type OpensslPki, type PkiKeyType } from '../helpers/openssl-pki';

const KEY_PASSWORD = 'key password 1234';
const STORE_PASSWORD = 'store password 5678';
const LABEL = 'Tomcat Connector';
const ALIAS = 'tomcat connector'; // JKS lower-cases aliases, as Java does

describeWithTools([TOOLS.openssl, TOOLS.keytool])('JKS export, opened by keytool', () => {
  let dir: string;
  let pkis: Map<PkiKeyType, OpensslPki>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ks-exports-jks-'));
    pkis = makeOpensslPkis(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function exportJks(keyType: PkiKeyType) {
    const pki = pkis.get(keyType)!;
    const result = exportKeystore(
      { pkcs8: pki.pkcs8(), certificatePem: pki.certificatePem, chainPems: pki.chainPems },
      { exportFormat: 'JKS', privateKeyPassphrase: KEY_PASSWORD, keystorePassphrase: STORE_PASSWORD, certificateLabel: LABEL },
      pki.commonName,
    );
    const path = join(dir, `${keyType.replace(/\W/g, '')}-${result.summary.fileName}`);
    writeFileAtomicSync(path, result.bytes);
    return { pki, result, path };
  }

  describe.each(PKI_KEY_TYPES)('%s key', (keyType) => {
    it('keytool lists the alias, a PrivateKeyEntry and a chain of 3, and imports it into PKCS12 with the key password', async () => {
      const { pki, result, path } = exportJks(keyType);
      expect(result.summary.fileName).toBe('star.example.com.jks');
      expect(result.summary.scheme).toMatch(/^JKS: key protected by Sun KeyProtector/);
      const p12 = `${path}.p12`;
      const [listing, imported] = await Promise.all([
        runKeytool(['-list', '-v', '-keystore', path, '-storepass', STORE_PASSWORD]),
        runKeytool(['-importkeystore', '-noprompt', '-srckeystore', path, '-srcstoretype', 'JKS', '-srcstorepass', STORE_PASSWORD, '-srcalias', ALIAS, '-srckeypass', KEY_PASSWORD,
          '-destkeystore', p12, '-deststoretype', 'PKCS12', '-deststorepass', 'destination pass 1']),
      ]);
      expect(listing.status, listing.stdout + listing.stderr).toBe(0);
      expect(listing.stdout).toContain('Keystore type: JKS');
      expect(listing.stdout).toMatch(new RegExp(`^Alias name: ${ALIAS}$`, 'm'));
      expect(listing.stdout).toContain('Entry type: PrivateKeyEntry');
      expect(listing.stdout).toContain('Certificate chain length: 3');

      expect(imported.status, imported.stdout + imported.stderr).toBe(0);
      // keytool really decrypted the key: the key it re-wrote has the certificate's public key.
      const keyPem = await runTool('openssl', ['pkcs12', '-in', p12, '-passin', 'pass:destination pass 1', '-nocerts', '-nodes']);
      expect(keyPem.status, keyPem.stderr).toBe(0);
      const extracted = await runTool('openssl', ['pkey', '-pubout'], keyPem.stdout);
      expect(extracted.stdout).toBe(await certificatePublicKeyPem(pki.paths.eeCert));
    });
  });

  it('keytool refuses a wrong store password and a wrong key password', async () => {
    const { path } = exportJks('EC P-256');
    const [wrongStore, wrongKey] = await Promise.all([
      runKeytool(['-list', '-keystore', path, '-storepass', 'not the store password']),
      runKeytool(['-importkeystore', '-noprompt', '-srckeystore', path, '-srcstorepass', STORE_PASSWORD, '-srcalias', ALIAS, '-srckeypass', 'not the key password',
        '-destkeystore', `${path}.wrong.p12`, '-deststoretype', 'PKCS12', '-deststorepass', 'destination pass 1']),
    ]);
    expect(wrongStore.status).not.toBe(0);
    expect(wrongStore.stdout + wrongStore.stderr).toMatch(/tampered with, or password was incorrect/);
    expect(wrongKey.status).not.toBe(0);
    expect(wrongKey.stdout + wrongKey.stderr).toMatch(/Cannot recover key|password/i);
  });

  it('the store password defaults to the key passphrase', async () => {
    const pki = pkis.get('RSA')!;
    const result = exportKeystore(
      { pkcs8: pki.pkcs8(), certificatePem: pki.certificatePem, chainPems: pki.chainPems },
      { exportFormat: 'JKS', privateKeyPassphrase: KEY_PASSWORD, certificateLabel: LABEL },
      pki.commonName,
    );
    const path = join(dir, 'default-store-password.jks');
    writeFileAtomicSync(path, result.bytes);
    const listing = await runKeytool(['-list', '-keystore', path, '-storepass', KEY_PASSWORD]);
    expect(listing.status, listing.stdout + listing.stderr).toBe(0);
    expect(listing.stdout).toMatch(/PrivateKeyEntry/);
  });
});
