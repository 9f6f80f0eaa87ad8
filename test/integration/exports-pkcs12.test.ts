import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pkcs12Profile } from '../../src/shared/exports';
import { exportKeystore } from '../../src/main/core/exports';
import { writeFileAtomicSync } from '../../src/main/core/fs/atomic-write';
import { readPkcs12 } from '../../src/main/core/exports/pkcs12/pkcs12-reader';
import { describeWithTools, TOOLS } from '../helpers/tools';
import { certificatePublicKeyPem, makeOpensslPkis, PKI_KEY_TYPES, runKeytool, runTool, type OpensslPki, type PkiKeyType } from '../helpers/openssl-pki';

const PASSPHRASE = 'Correct horse 42 battery';
const LABEL = 'Web Server 2026';

/** What `openssl pkcs12 -info` must print for each profile, and what it must never print. */
const OPENSSL_SAYS: Record<Pkcs12Profile, { required: RegExp[]; forbidden: RegExp }> = {
  MODERN: {
    required: [/^MAC: sha256,/m, /^PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration \d+, PRF hmacWithSHA256$/m, /^Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration \d+, PRF hmacWithSHA256$/m],
    forbidden: /3DES|TripleDES|RC2|MAC: sha1/i,
  },
  COMPATIBLE: {
    required: [/^MAC: sha1,/m, /^PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC,/m, /^Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC,/m],
    forbidden: /PBES2|AES|RC2|MAC: sha256/i,
  },
};

describeWithTools([TOOLS.openssl, TOOLS.keytool])('PKCS#12 export, opened by openssl and keytool', () => {
  let dir: string;
  let pkis: Map<PkiKeyType, OpensslPki>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ks-exports-p12-'));
    pkis = makeOpensslPkis(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function exportTo(keyType: PkiKeyType, profile: Pkcs12Profile) {
    const pki = pkis.get(keyType)!;
    const result = exportKeystore(
      { pkcs8: pki.pkcs8(), certificatePem: pki.certificatePem, chainPems: pki.chainPems },
      { exportFormat: 'PKCS12', pkcs12Profile: profile, privateKeyPassphrase: PASSPHRASE, certificateLabel: LABEL },
      pki.commonName,
    );
    const path = join(dir, `${keyType.replace(/\W/g, '')}-${profile}-${result.summary.fileName}`);
    writeFileAtomicSync(path, result.bytes);
    return { pki, result, path };
  }

  describe.each(PKI_KEY_TYPES)('%s key', (keyType) => {
    it.each(['MODERN', 'COMPATIBLE'] as const)('%s: openssl shows the profile scheme, the chain of 3, and a key equal to the certificate key', async (profile) => {
      const { pki, result, path } = exportTo(keyType, profile);
      expect(result.summary.fileName).toBe('star.example.com.p12');
      expect(result.summary.scheme).toMatch(profile === 'MODERN' ? /Modern: AES-256-CBC \+ PBKDF2-HMAC-SHA256.*MAC HMAC-SHA256/ : /Compatible: PBE-SHA1-3DES.*MAC HMAC-SHA1/);
      expect(statSync(path).mode & 0o777).toBe(0o600);

      const info = await runTool('openssl', ['pkcs12', '-info', '-noout', '-in', path, '-passin', `pass:${PASSPHRASE}`]);
      expect(info.status, info.stderr).toBe(0);
      const said = info.stdout + info.stderr;
      for (const line of OPENSSL_SAYS[profile].required) expect(said).toMatch(line);
      expect(said).not.toMatch(OPENSSL_SAYS[profile].forbidden);

      const keyPem = await runTool('openssl', ['pkcs12', '-in', path, '-passin', `pass:${PASSPHRASE}`, '-nocerts', '-nodes']);
      expect(keyPem.status, keyPem.stderr).toBe(0);
      expect(keyPem.stdout).toContain(`friendlyName: ${LABEL}`);
      const extracted = await runTool('openssl', ['pkey', '-pubout'], keyPem.stdout);
      expect(extracted.status, extracted.stderr).toBe(0);
      expect(extracted.stdout).toBe(await certificatePublicKeyPem(pki.paths.eeCert));

      const certs = await runTool('openssl', ['pkcs12', '-in', path, '-passin', `pass:${PASSPHRASE}`, '-nokeys']);
      expect(certs.stdout.match(/-----BEGIN CERTIFICATE-----/g)).toHaveLength(3);
      // The chain is complete: openssl verifies the EE against the root with the file's own intermediate.
      const bundle = `${path}.certs.pem`;
      writeFileSync(bundle, certs.stdout);
      const verify = await runTool('openssl', ['verify', '-CAfile', pki.paths.root, '-untrusted', bundle, pki.paths.eeCert]);
      expect(verify.stdout).toContain(': OK');
    });

    it('keytool lists both profiles as a PrivateKeyEntry with the label as alias and a chain of 3', async () => {
      const paths = (['MODERN', 'COMPATIBLE'] as const).map((profile) => exportTo(keyType, profile).path);
      // Two JVMs at once: the slow part of this suite is JVM start-up.
      const listings = await Promise.all(paths.map((path) => runKeytool(['-list', '-v', '-keystore', path, '-storetype', 'PKCS12', '-storepass', PASSPHRASE])));
      for (const listing of listings) {
        expect(listing.status, listing.stdout + listing.stderr).toBe(0);
        expect(listing.stdout).toMatch(new RegExp(`^Alias name: ${LABEL}$`, 'mi'));
        expect(listing.stdout).toContain('Entry type: PrivateKeyEntry');
        expect(listing.stdout).toContain('Certificate chain length: 3');
      }
    });
  });

  it('openssl refuses both profiles with a wrong passphrase', async () => {
    for (const profile of ['MODERN', 'COMPATIBLE'] as const) {
      const { path } = exportTo('EC P-256', profile);
      const r = await runTool('openssl', ['pkcs12', '-info', '-noout', '-in', path, '-passin', 'pass:not the passphrase']);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/mac verify failure|invalid password/i);
    }
  });

  it('our reader opens what openssl writes in both schemes (cross-checks the RFC 7292 KDF and PBES2)', async () => {
    const pki = pkis.get('EC P-384')!;
    const variants = {
      'PBE-SHA1-3DES': ['-keypbe', 'PBE-SHA1-3DES', '-certpbe', 'PBE-SHA1-3DES', '-macalg', 'sha1'],
      'PBES2-AES-256-CBC-PBKDF2-HMAC-SHA256': [],
    } as const;
    for (const [scheme, args] of Object.entries(variants)) {
      const out = join(dir, `openssl-${scheme}.p12`);
      const made = await runTool('openssl', ['pkcs12', '-export', '-inkey', pki.paths.eeKey, '-in', pki.paths.eeCert, '-certfile', pki.paths.intermediate, '-name', LABEL, '-passout', `pass:${PASSPHRASE}`, '-out', out, ...args]);
      expect(made.status, made.stderr).toBe(0);
      const read = readPkcs12(readFileSync(out), PASSPHRASE);
      expect(read.schemes).toEqual([scheme, scheme]);
      expect(read.keyFriendlyName).toBe(LABEL);
      expect(read.certificates).toHaveLength(2);
      expect(read.pkcs8.equals(Buffer.from(pki.pkcs8()))).toBe(true);
      expect(() => readPkcs12(readFileSync(out), 'wrong passphrase!')).toThrow(/passphrase is wrong/);
    }
  });
});
