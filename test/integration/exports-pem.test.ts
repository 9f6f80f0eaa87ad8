import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCertificate, exportKeystore } from '../../src/main/core/exports';
import { writeFileAtomicSync } from '../../src/main/core/fs/atomic-write';
import { SatelliteError } from '../../src/main/core/common/errors';
import { describeWithTools, TOOLS } from '../helpers/tools';
import { certificatePublicKeyPem, makeOpensslPki, makeOpensslPkis, PKI_KEY_TYPES, runTool, type OpensslPki, type PkiKeyType } from '../helpers/openssl-pki';

const PASSPHRASE = 'pem bundle passphrase 9';
const MEMBERS = ['star.example.com.crt', 'star.example.com.key', 'star.example.com_root-first.pem', 'star.example.com_root-last.pem'];

const subjectsOf = async (pemFile: string) => {
  // openssl storeutl lists every certificate of a PEM file, in file order.
  const r = await runTool('openssl', ['storeutl', '-noout', '-text', '-certs', pemFile]);
  expect(r.status, r.stderr).toBe(0);
  return [...r.stdout.matchAll(/^\s+Subject: (.*)$/gm)].map((m) => m[1]!.replace(/.*CN ?= ?/, ''));
};

describeWithTools([TOOLS.openssl])('PEM keystore (ZIP bundle) and certificate downloads, opened by openssl', () => {
  let dir: string;
  let pkis: Map<PkiKeyType, OpensslPki>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ks-exports-pem-'));
    pkis = makeOpensslPkis(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  describe.each(PKI_KEY_TYPES)('%s key', (keyType) => {
    it('the ZIP holds the four files; openssl opens the key with the passphrase only, and it is the certificate key', async () => {
      const pki = pkis.get(keyType)!;
      const result = exportKeystore(
        { pkcs8: pki.pkcs8(), certificatePem: pki.certificatePem, chainPems: pki.chainPems },
        { exportFormat: 'PEM', privateKeyPassphrase: PASSPHRASE, certificateLabel: 'web' },
        pki.commonName,
      );
      expect(result.summary).toMatchObject({ fileName: 'star.example.com.zip', mediaType: 'application/zip' });
      const out = join(dir, `${keyType.replace(/\W/g, '')}-unzipped`);
      mkdirSync(out);
      const files = unzipSync(result.bytes);
      expect(Object.keys(files).sort()).toEqual(MEMBERS);
      for (const [name, data] of Object.entries(files)) writeFileSync(join(out, name), data);
      const key = join(out, 'star.example.com.key');

      const opened = await runTool('openssl', ['pkey', '-in', key, '-passin', `pass:${PASSPHRASE}`, '-noout']);
      expect(opened.status, opened.stderr).toBe(0);
      const wrong = await runTool('openssl', ['pkey', '-in', key, '-passin', 'pass:wrong passphrase!!', '-noout']);
      expect(wrong.status).not.toBe(0);

      const pub = await runTool('openssl', ['pkey', '-in', key, '-passin', `pass:${PASSPHRASE}`, '-pubout']);
      expect(pub.stdout).toBe(await certificatePublicKeyPem(pki.paths.eeCert));
      // The scheme inside the PEM: PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC.
      const asn1 = await runTool('openssl', ['asn1parse', '-in', key]);
      expect(asn1.stdout).toMatch(/:PBES2/);
      expect(asn1.stdout).toMatch(/:PBKDF2/);
      expect(asn1.stdout).toMatch(/:hmacWithSHA256/);
      expect(asn1.stdout).toMatch(/:aes-256-cbc/);

      expect(await subjectsOf(join(out, 'star.example.com.crt'))).toEqual(['*.example.com']);
      expect(await subjectsOf(join(out, 'star.example.com_root-last.pem'))).toEqual(['*.example.com', 'Test Intermediate CA', 'Test Root CA']);
      expect(await subjectsOf(join(out, 'star.example.com_root-first.pem'))).toEqual(['Test Root CA', 'Test Intermediate CA', '*.example.com']);
      const verify = await runTool('openssl', ['verify', '-CAfile', pki.paths.root, '-untrusted', join(out, 'star.example.com_root-last.pem'), join(out, 'star.example.com.crt')]);
      expect(verify.stdout).toContain(': OK');
    });
  });

  it('certificate downloads: PEM in each chain order, DER as the end entity alone', async () => {
    const pki = pkis.get('EC P-256')!;
    const expected = {
      EE_FIRST: ['*.example.com', 'Test Intermediate CA', 'Test Root CA'],
      ROOT_FIRST: ['Test Root CA', 'Test Intermediate CA', '*.example.com'],
      EE_ONLY: ['*.example.com'],
    } as const;
    for (const [chainOrder, subjects] of Object.entries(expected)) {
      const r = exportCertificate(pki, { format: 'PEM', chainOrder: chainOrder as keyof typeof expected }, pki.commonName);
      expect(r.summary.fileName).toBe('star.example.com.pem');
      const path = join(dir, `cert-${chainOrder}.pem`);
      writeFileAtomicSync(path, r.bytes);
      expect(await subjectsOf(path)).toEqual(subjects);
    }
    for (const chainOrder of ['EE_ONLY', 'EE_FIRST'] as const) {
      const r = exportCertificate(pki, { format: 'DER', chainOrder }, pki.commonName);
      expect(r.summary.fileName).toBe('star.example.com.cer');
      expect(r.summary.scheme).toMatch(chainOrder === 'EE_ONLY' ? /^X\.509 DER, end-entity certificate$/ : /DER holds one certificate/);
      const path = join(dir, `cert-${chainOrder}.cer`);
      writeFileAtomicSync(path, r.bytes);
      const x = await runTool('openssl', ['x509', '-inform', 'DER', '-in', path, '-noout', '-subject']);
      expect(x.stdout).toMatch(/CN ?= ?\*\.example\.com/);
    }
  });

  it('an Ed448 key: PKCS#12 and JKS refuse before building anything and name the alternative; PEM works', async () => {
    const sub = join(dir, 'ed448');
    mkdirSync(sub);
    const pki = makeOpensslPki(sub, 'Ed448');
    const before = readdirSync(sub).sort();
    for (const exportFormat of ['PKCS12', 'JKS'] as const) {
      const pkcs8 = pki.pkcs8();
      let error: unknown;
      try {
        exportKeystore({ pkcs8, certificatePem: pki.certificatePem, chainPems: pki.chainPems }, { exportFormat, privateKeyPassphrase: PASSPHRASE, certificateLabel: 'web' }, pki.commonName);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SatelliteError);
      expect((error as SatelliteError).httpStatus).toBe(422);
      expect((error as Error).message).toContain(`${exportFormat === 'PKCS12' ? 'PKCS#12' : 'JKS'} cannot be exported for Ed448 keys`);
      expect((error as Error).message).toContain('Download it as PEM');
      expect(pkcs8.every((b) => b === 0)).toBe(true); // the key was wiped even though the export failed
    }
    expect(readdirSync(sub).sort()).toEqual(before);

    const pem = exportKeystore({ pkcs8: pki.pkcs8(), certificatePem: pki.certificatePem, chainPems: pki.chainPems }, { exportFormat: 'PEM', privateKeyPassphrase: PASSPHRASE, certificateLabel: 'web' }, pki.commonName);
    const keyPath = join(sub, 'exported.key');
    writeFileAtomicSync(keyPath, unzipSync(pem.bytes)['star.example.com.key']!);
    const pub = await runTool('openssl', ['pkey', '-in', keyPath, '-passin', `pass:${PASSPHRASE}`, '-pubout']);
    expect(pub.stdout).toBe(await certificatePublicKeyPem(pki.paths.eeCert));
  });

  it('refuses a key that is not the certificate key, a broken chain and a short passphrase, naming the field', () => {
    const rsa = pkis.get('RSA')!;
    const ec = pkis.get('EC P-256')!;
    const options = { exportFormat: 'PKCS12', privateKeyPassphrase: PASSPHRASE, certificateLabel: 'web' } as const;
    expect(() => exportKeystore({ pkcs8: rsa.pkcs8(), certificatePem: ec.certificatePem, chainPems: ec.chainPems }, options, 'x')).toThrow(/certificatePem: the private key does not belong to the certificate/);
    expect(() => exportKeystore({ pkcs8: ec.pkcs8(), certificatePem: ec.certificatePem, chainPems: [...ec.chainPems].reverse() }, options, 'x')).toThrow(/is not signed by certificate 2.*issuer first, root last/);
    expect(() => exportKeystore({ pkcs8: ec.pkcs8(), certificatePem: ec.certificatePem, chainPems: ec.chainPems }, { ...options, privateKeyPassphrase: 'short' }, 'x')).toThrow(/privateKeyPassphrase: privateKeyPassphrase must be at least 12 characters/);
  });
});
