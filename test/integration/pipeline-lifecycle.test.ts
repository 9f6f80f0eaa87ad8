import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { CertificateRequestBody, CertificateRequestRecord } from '../../src/shared/certificate-request';
import { rpcInputSchemas } from '../../src/shared/client';
import { BuiltinCa, inventorySealedKeys, openBuiltinCa } from '../../src/main/core/ca/builtin';
import { fileDekStore, openDek } from '../../src/main/core/dek';
import { createSatellite, type Satellite } from '../../src/main/core/satellite';
import { openInventoryStore } from '../../src/main/core/store';
import { makeOpensslPki } from '../helpers/openssl-pki';
import { seedRequestBody } from '../helpers/seed-request';
import { TOOLS, describeWithTools } from '../helpers/tools';

// Issue 3, "Done when": renew, revoke (read on the CRL with openssl crl -text), delete, import of
// PEM and of PKCS#12, and the offline flow (CSR now, outside CA's certificate imported later).

const PASSPHRASE = 'a test passphrase 123';
const EXPORT_PASSPHRASE = 'export passphrase 123';
let dataDir: string;
let work: string;
let satellite: Satellite;
let applicationId: string;
let builtinTemplateId: string;

const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
/** openssl's exit status and everything it printed (verify results go to stderr). */
function opensslStatus(...args: string[]): { status: number | null; output: string } {
  const r = spawnSync('openssl', args, { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, output: r.stdout + r.stderr };
}

function file(name: string, contents: string | Uint8Array): string {
  const path = join(work, name);
  writeFileSync(path, contents);
  return path;
}

function body(commonName: string, change: (b: CertificateRequestBody) => void = () => {}): CertificateRequestBody {
  const b = seedRequestBody({ applicationId, certificateIssuingTemplateId: builtinTemplateId });
  b.csrAttributes!.commonName = commonName;
  b.csrAttributes!.subjectAlternativeNamesByType = { dnsNames: [commonName] };
  change(b);
  return b;
}

const request = (b: CertificateRequestBody) => satellite.call('requestCertificate', rpcInputSchemas.requestCertificate.parse(b));
const certificate = (id: string) => satellite.call('getCertificate', rpcInputSchemas.getCertificate.parse({ id }));
const pemOf = async (id: string) => (await certificate(id)).pem;

/** The public key openssl reads from a certificate. */
const publicKeyOf = (pem: string) => openssl('x509', '-in', file(`pub-${Math.random()}.pem`, pem), '-noout', '-pubkey');
/** Subject (RFC 2253) and SAN lines, as openssl prints them. */
const namesOf = (pem: string) => openssl('x509', '-in', file(`names-${Math.random()}.pem`, pem), '-noout', '-subject', '-ext', 'subjectAltName', '-nameopt', 'RFC2253');

/** Exports a PKCS#12 (Modern) and has openssl extract the key: its public key must be the certificate's. */
async function expectKeystoreExportMatches(certificateId: string): Promise<void> {
  const exported = await satellite.exportKeystore({ id: certificateId, exportFormat: 'PKCS12', privateKeyPassphrase: EXPORT_PASSPHRASE, certificateLabel: 'lifecycle' });
  const p12 = file(`export-${certificateId}.p12`, exported.bytes);
  const keyPem = openssl('pkcs12', '-in', p12, '-passin', `pass:${EXPORT_PASSPHRASE}`, '-nocerts', '-nodes');
  const keyPublic = openssl('pkey', '-in', file(`export-${certificateId}.key`, keyPem), '-pubout');
  expect(keyPublic).toBe(publicKeyOf(await pemOf(certificateId)));
}

describeWithTools([TOOLS.openssl])('certificate lifecycle on the real satellite', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ks-pipeline-lifecycle-'));
    work = mkdtempSync(join(tmpdir(), 'ks-pipeline-lifecycle-work-'));
    satellite = await createSatellite({ dataDir, dekStore: 'file', dekPassphrase: PASSPHRASE });
    await satellite.resumed;
    const [application] = (await satellite.call('listApplications', rpcInputSchemas.listApplications.parse({}))).filter((a) => a.name === 'Default');
    applicationId = application!.id;
    builtinTemplateId = application!.certificateIssuingTemplateAliasIdMap.Default!;
  });

  afterAll(async () => {
    await satellite?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('renews with a new key and the same attributes, linking predecessor and successor', async () => {
    const first = await request(body('renew.ask.venafi.example', (b) => (b.csrAttributes!.keyTypeParameters = { keyType: 'EC', keyCurve: 'P256' })));
    expect(first.status).toBe('ISSUED');
    const oldId = first.certificateIds[0]!;
    // The satellite makes the new key, so the built-in CA is asked through issueWithNewKey (key,
    // CSR and certificate in one step).
    const asked = vi.spyOn(BuiltinCa.prototype, 'issueWithNewKey');
    const renewal = await satellite.call('renewCertificate', rpcInputSchemas.renewCertificate.parse({ id: oldId }));
    // The CA is told which certificate this replaces (an ACME CA with Renewal Information uses it).
    expect(asked.mock.calls.map(([, r]) => r.replacesCertificatePem)).toEqual([(await certificate(oldId)).pem]);
    asked.mockRestore();
    expect(renewal.status).toBe('ISSUED');
    expect(renewal.existingCertificateId).toBe(oldId);
    const newId = renewal.certificateIds[0]!;
    expect(newId).not.toBe(oldId);

    const [before, after] = [await certificate(oldId), await certificate(newId)];
    expect(after.certificate.predecessorCertificateId).toBe(oldId);
    expect(before.certificate.successorCertificateId).toBe(newId);
    expect(publicKeyOf(after.pem)).not.toBe(publicKeyOf(before.pem));
    expect(namesOf(after.pem)).toBe(namesOf(before.pem));
    expect(namesOf(after.pem)).toContain('DNS:renew.ask.venafi.example');
    expect(openssl('x509', '-in', file('renewed.pem', after.pem), '-noout', '-text')).toMatch(/ASN1 OID: prime256v1/);
    await expectKeystoreExportMatches(newId);
  });

  it('fifty parallel renewals of one certificate make one successor and one new key', async () => {
    const first = await request(body('renew50.ask.venafi.example'));
    const oldId = first.certificateIds[0]!;
    const issued = vi.spyOn(BuiltinCa.prototype, 'issueWithNewKey');
    const renewals = await Promise.all(Array.from({ length: 50 }, () => satellite.call('renewCertificate', rpcInputSchemas.renewCertificate.parse({ id: oldId }))));
    expect(issued).toHaveBeenCalledTimes(1);
    issued.mockRestore();
    expect(new Set(renewals.map((r) => r.id)).size).toBe(1);
    expect(new Set(renewals.map((r) => r.certificateIds[0])).size).toBe(1);
    const successors = (await satellite.call('listCertificateRequests', { limit: 1000 })).filter((r) => r.existingCertificateId === oldId);
    expect(successors).toHaveLength(1);
    expect((await certificate(oldId)).certificate.successorCertificateId).toBe(renewals[0]!.certificateIds[0]);
  });

  it('revokes: the certificate is REVOKED and its serial is on the built-in CA\'s CRL (openssl crl -text)', async () => {
    const issued = await request(body('revoke.ask.venafi.example'));
    const id = issued.certificateIds[0]!;
    const revoked = await satellite.call('revokeCertificate', rpcInputSchemas.revokeCertificate.parse({ id, reason: 'keyCompromise' }));
    expect(revoked.revocationStatus).toBe('REVOKED');
    expect((await satellite.call('getCertificateRequest', rpcInputSchemas.getCertificateRequest.parse({ id: issued.id }))).status).toBe('REVOKED');

    // The CRL the built-in CA signs now (its directory and sealed key, opened with the same DEK).
    const dek = (await openDek(fileDekStore(join(dataDir, 'dek.json'), PASSPHRASE), { create: false }))!;
    const caStore = openInventoryStore(join(dataDir, 'inventory.sqlite'));
    const ca = await openBuiltinCa({ dir: join(dataDir, 'builtin-ca'), sealer: dek.sealer(), sealedKeys: inventorySealedKeys(caStore) }).finally(() => caStore.close());
    const crlPath = file('builtin.crl.pem', await ca.crl());
    const text = openssl('crl', '-in', crlPath, '-text', '-noout');
    const serial = openssl('x509', '-in', file('revoked.pem', await pemOf(id)), '-noout', '-serial').trim().replace('serial=', '');
    expect(text).toMatch(new RegExp(`Serial Number: ${serial}\\s`, 'i'));
    expect(text).toContain('Key Compromise');
    // Signed by the intermediate that issued the certificate.
    const chain = file('chain.pem', readFileSync(join(dataDir, 'builtin-ca', 'intermediate.pem'), 'utf8') + readFileSync(join(dataDir, 'builtin-ca', 'root.pem'), 'utf8'));
    const verified = opensslStatus('crl', '-in', crlPath, '-CAfile', chain, '-noout');
    expect(verified.status, verified.output).toBe(0);
    expect(verified.output).toContain('verify OK');

    // Its key is known to others now: exporting it takes an explicit confirmation.
    const options = { id, exportFormat: 'PKCS12' as const, privateKeyPassphrase: 'a keystore passphrase', certificateLabel: 'revoked' };
    await expect(satellite.exportKeystore(options)).rejects.toMatchObject({ httpStatus: 409, args: { field: 'acknowledgeKeyCompromise' }, message: expect.stringMatching(/revoked because its key was compromised/) });
    const exported = await satellite.exportKeystore({ ...options, acknowledgeKeyCompromise: true });
    expect(exported.bytes.length).toBeGreaterThan(0);
  });

  it('deletes: the record and its key blob go together', async () => {
    const issued = await request(body('delete.ask.venafi.example'));
    const id = issued.certificateIds[0]!;
    await satellite.call('deleteCertificate', rpcInputSchemas.deleteCertificate.parse({ id }));
    await expect(certificate(id)).rejects.toThrow(/no certificate with id/);
    expect((await satellite.call('getCertificateRequest', rpcInputSchemas.getCertificateRequest.parse({ id: issued.id }))).status).toBe('DELETED');
    // Read the store itself: a second connection sees the committed state.
    const store = openInventoryStore(join(dataDir, 'inventory.sqlite'));
    try {
      expect(store.getCertificate(id)).toBeUndefined();
      expect(store.getKeyBlob(issued.id)).toBeUndefined();
      expect(store.getKeyBlob(id)).toBeUndefined();
    } finally {
      store.close();
    }
  });

  it('imports a PEM certificate, chain and key made by openssl, sealing the key; the keystore export works', async () => {
    const dir = join(work, 'pem-import');
    mkdirSync(dir);
    const pki = makeOpensslPki(dir, 'RSA', 'pem-import.example.com');
    const pem = pki.certificatePem + pki.chainPems.join('') + readFileSync(pki.paths.eeKey, 'utf8');
    const record = await satellite.call('importCertificate', rpcInputSchemas.importCertificate.parse({ applicationId, pem }));
    expect(record.subjectCN).toEqual(['pem-import.example.com']);
    expect(record.chainCertificateIds).toHaveLength(2);
    const detail = await certificate(record.id);
    expect(detail.hasPrivateKey).toBe(true);
    expect(detail.pem.trim()).toBe(pki.certificatePem.trim());
    await expectKeystoreExportMatches(record.id);
  });

  it('imports a PKCS#12 made by openssl pkcs12 -export; the keystore export of the imported certificate works', async () => {
    const dir = join(work, 'p12-import');
    mkdirSync(dir);
    const pki = makeOpensslPki(dir, 'EC P-384', 'p12-import.example.com');
    const p12 = join(dir, 'in.p12');
    openssl('pkcs12', '-export', '-inkey', pki.paths.eeKey, '-in', pki.paths.eeCert, '-certfile', file('p12-chain.pem', pki.chainPems.join('')), '-passout', 'pass:pkcs12 import passphrase', '-out', p12);
    const pkcs12Base64 = readFileSync(p12).toString('base64');
    const record = await satellite.call('importCertificate', rpcInputSchemas.importCertificate.parse({ applicationId, pkcs12Base64, passphrase: 'pkcs12 import passphrase' }));
    expect(record.subjectCN).toEqual(['p12-import.example.com']);
    expect(record.keyCurve).toBe('P384');
    expect((await certificate(record.id)).hasPrivateKey).toBe(true);
    await expectKeystoreExportMatches(record.id);
    await expect(
      satellite.call('importCertificate', rpcInputSchemas.importCertificate.parse({ applicationId, pkcs12Base64, passphrase: 'not the passphrase' })),
    ).rejects.toThrow(/PKCS#12 file cannot be opened/);
  });

  it('offline: a MANUAL template leaves the request PENDING with a CSR; the certificate an openssl CA signs is imported, matched by key, ISSUED and linked', async () => {
    const manual = await satellite.call(
      'saveIssuingTemplate',
      rpcInputSchemas.saveIssuingTemplate.parse({
        name: 'Offline (any CA)',
        certificateAuthority: 'MANUAL',
        caSettings: { type: 'MANUAL' },
        keyTypes: [{ keyType: 'RSA', keyLengths: [2048] }, { keyType: 'EC', keyCurves: ['P256'] }],
        validityPeriod: 'P397D',
      }),
    );
    const [application] = (await satellite.call('listApplications', rpcInputSchemas.listApplications.parse({}))).filter((a) => a.id === applicationId);
    await satellite.call(
      'saveApplication',
      rpcInputSchemas.saveApplication.parse({
        id: applicationId,
        name: application!.name,
        description: application!.description,
        certificateIssuingTemplateAliasIdMap: { ...application!.certificateIssuingTemplateAliasIdMap, Offline: manual.id },
      }),
    );
    const pending: CertificateRequestRecord = await request(
      body('offline.ask.venafi.example', (b) => {
        b.certificateIssuingTemplateId = manual.id;
        b.csrAttributes!.keyTypeParameters = { keyType: 'EC', keyCurve: 'P256' };
      }),
    );
    expect(pending.status).toBe('PENDING');
    expect(pending.certificateIds).toEqual([]);
    const csrPath = file('offline.csr', pending.certificateSigningRequest!);
    const csrCheck = opensslStatus('req', '-in', csrPath, '-noout', '-verify');
    expect(csrCheck.status, csrCheck.output).toBe(0);
    expect(csrCheck.output).toMatch(/verify OK/);

    // The outside CA: an openssl root that signs the CSR as it is (x509 -req copies the SANs).
    const caDir = join(work, 'outside-ca');
    mkdirSync(caDir);
    const outside = makeOpensslPki(caDir, 'EC P-256', 'unrelated.example.com');
    const signed = join(caDir, 'offline.pem');
    openssl('x509', '-req', '-in', csrPath, '-CA', outside.paths.intermediate, '-CAkey', join(caDir, 'int.key'), '-CAcreateserial', '-days', '30', '-copy_extensions', 'copy', '-out', signed);
    const imported = await satellite.call(
      'importIssuedCertificate',
      rpcInputSchemas.importIssuedCertificate.parse({ pem: readFileSync(signed, 'utf8') + outside.chainPems.join('') }),
    );
    expect(imported.certificateRequestId).toBe(pending.id);
    expect(imported.subjectCN).toEqual(['offline.ask.venafi.example']);
    const after = await satellite.call('getCertificateRequest', rpcInputSchemas.getCertificateRequest.parse({ id: pending.id }));
    expect(after.status).toBe('ISSUED');
    expect(after.certificateIds[0]).toBe(imported.id);
    expect(after.certificateIds).toHaveLength(3);
    expect((await certificate(imported.id)).hasPrivateKey).toBe(true);
    await expectKeystoreExportMatches(imported.id);

    // A certificate whose key no waiting request holds is refused, saying so.
    await expect(
      satellite.call('importIssuedCertificate', rpcInputSchemas.importIssuedCertificate.parse({ pem: outside.certificatePem })),
    ).rejects.toThrow(/no waiting request of this satellite has the key of this certificate \(unrelated\.example\.com/);
  });
});
