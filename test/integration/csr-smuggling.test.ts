import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ERROR_CODES } from '../../src/shared/error-codes';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rpcInputSchemas } from '../../src/shared/client';
import { createSatellite } from '../../src/main/core/satellite';
import { bitString, contextTag, ia5String, oid, printableString, sequence, set, tlv, utf8String } from '../../src/main/core/pki/der';
import { toPem } from '../../src/main/core/pki/pem';
import { startSatelliteServer, type SatelliteServer } from '../helpers/satellite-server';
import { describeWithTools, TOOLS } from '../helpers/tools';

// Issue 13: the template's policy and the built-in CA read a CSR with one reader, so a CSR
// cannot show the policy one set of names and the CA another. Each CSR below is sent to the
// REST API under a template limited to *.example.com, IPs 10.*, e-mails @example.com and URIs
// https://example.com/...; those that hide a name where a second reader would look are refused
// with 400 naming certificateSigningRequest, and the controls are ISSUED (read by openssl).

const PASSPHRASE = 'csr smuggling passphrase 123';
const OID = { cn: '2.5.4.3', o: '2.5.4.10', c: '2.5.4.6', extReq: '1.2.840.113549.1.9.14', san: '2.5.29.17', ecdsaSha256: '1.2.840.10045.4.3.2' };

const rdn = (type: string, value: Uint8Array) => set(sequence(oid(type), value));
const name = (...rdns: Uint8Array[]) => sequence(...rdns);
const dns = (n: string) => tlv(contextTag(2, false), Buffer.from(n, 'latin1'));
const email = (n: string) => tlv(contextTag(1, false), Buffer.from(n, 'latin1'));
const uri = (n: string) => tlv(contextTag(6, false), Buffer.from(n, 'latin1'));
const ip = (...bytes: number[]) => tlv(contextTag(7, false), Buffer.from(bytes));
const sanExtension = (...names: Uint8Array[]) => sequence(oid(OID.san), tlv(0x04, sequence(...names)));
const extensionRequest = (...extensions: Uint8Array[]) => sequence(oid(OID.extReq), set(sequence(...extensions)));
/** A PKCS#10 CSR built byte by byte and signed with a real P-256 key, so the only thing wrong is what the test puts in. */
function csr(key: { publicKey: KeyObject; privateKey: KeyObject }, subject: Uint8Array, ...attributes: Uint8Array[]): string {
  const spki = key.publicKey.export({ type: 'spki', format: 'der' });
  const info = sequence(Buffer.from([0x02, 0x01, 0x00]), subject, spki, tlv(contextTag(0, true), ...attributes));
  const der = sequence(info, sequence(oid(OID.ecdsaSha256)), bitString(sign('sha256', info, key.privateKey)));
  return toPem(der, 'CERTIFICATE REQUEST');
}

describeWithTools([TOOLS.openssl])('CSR upload: a name hidden from the policy is refused, through the REST API', () => {
  let dataDir: string;
  let work: string;
  let server: SatelliteServer;
  let applicationId: string;
  let templateId: string;
  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const okSubject = name(rdn(OID.cn, utf8String('ok.example.com')));

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ks-csr-smuggling-'));
    work = mkdtempSync(join(tmpdir(), 'ks-csr-smuggling-work-'));
    const satellite = await createSatellite({ dataDir, dekStore: 'file', dekPassphrase: PASSPHRASE });
    await satellite.resumed;
    const template = await satellite.call(
      'saveIssuingTemplate',
      rpcInputSchemas.saveIssuingTemplate.parse({
        name: 'example.com only',
        certificateAuthority: 'BUILTIN',
        caSettings: { type: 'BUILTIN' },
        keyTypes: [{ keyType: 'EC', keyCurves: ['P256'] }],
        validityPeriod: 'P30D',
        subjectCNRegexes: ['.*\\.example\\.com'],
        subjectORegexes: ['Example Inc'],
        sanRegexes: ['.*\\.example\\.com'],
        sanIpAddressRegexes: ['10\\..*'],
        sanRfc822NameRegexes: ['.*@example\\.com'],
        sanUniformResourceIdentifierRegexes: ['https://example\\.com/.*'],
      }),
    );
    templateId = template.id;
    const application = (await satellite.call('listApplications', rpcInputSchemas.listApplications.parse({}))).find((a) => a.name === 'Default')!;
    applicationId = application.id;
    await satellite.call(
      'saveApplication',
      rpcInputSchemas.saveApplication.parse({ ...application, certificateIssuingTemplateAliasIdMap: { ...application.certificateIssuingTemplateAliasIdMap, Strict: template.id } }),
    );
    await satellite.close();
    server = await startSatelliteServer({ dataDir, dekPassphrase: PASSPHRASE });
  });

  afterAll(async () => {
    await server?.kill();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  async function upload(pem: string): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${server.url}/outagedetection/v1/certificaterequests`, {
      method: 'POST',
      headers: { 'tppl-api-key': server.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ certificateSigningRequest: pem, applicationId, certificateIssuingTemplateId: templateId, validityPeriod: 'P7D' }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  async function expectRefused(pem: string, message: RegExp): Promise<void> {
    const { status, body } = await upload(pem);
    expect(status).toBe(400);
    const [error] = body.errors as { message: string; args?: { field?: string } }[];
    expect(error!.message).toMatch(message);
    expect(JSON.stringify(error)).toContain('certificateSigningRequest');
  }

  /** The certificate of an ISSUED upload, as openssl prints it. */
  async function issuedText(pem: string): Promise<string> {
    const { status, body } = await upload(pem);
    expect(status).toBe(201);
    const request = (body.certificateRequests as { status: string; certificateIds: string[] }[])[0]!;
    expect(request.status).toBe('ISSUED');
    const res = await fetch(`${server.url}/outagedetection/v1/certificates/${request.certificateIds[0]}/contents?format=PEM&chainOrder=EE_ONLY`, { headers: { 'tppl-api-key': server.apiKey } });
    const file = join(work, `${request.certificateIds[0]}.pem`);
    writeFileSync(file, await res.text());
    return execFileSync('openssl', ['x509', '-in', file, '-noout', '-text'], { encoding: 'utf8' });
  }

  it('control: allowed names in one extensionRequest are ISSUED with all of them', async () => {
    const text = await issuedText(csr(key, okSubject, extensionRequest(sanExtension(dns('ok.example.com'), ip(10, 0, 0, 1), email('a@example.com'), uri('https://example.com/x')))));
    expect(text).toMatch(/DNS:ok\.example\.com, IP Address:10\.0\.0\.1, email:a@example\.com, URI:https:\/\/example\.com\/x/);
  });

  it('control: forbidden names in one extensionRequest are refused by the policy (400, the cloud\'s 10726) and the request is REJECTED', async () => {
    const { status, body } = await upload(csr(key, okSubject, extensionRequest(sanExtension(ip(203, 0, 113, 7), email('ceo@evil.example'), uri('https://evil.example/x')))));
    expect(status).toBe(400);
    const [error] = body.errors as { code: number; message: string; args: { certificateRequestId: string } }[];
    expect(error!.code).toBe(ERROR_CODES.SUBJECT_VALUE_NOT_ALLOWED);
    expect(error!.message).toContain('203.0.113.7');
    const res = await fetch(`${server.url}/outagedetection/v1/certificaterequests/${error!.args.certificateRequestId}`, { headers: { 'tppl-api-key': server.apiKey } });
    expect(((await res.json()) as { status: string }).status).toBe('REJECTED');
  });

  it('the same names in a second extensionRequest attribute are refused, not ISSUED', async () => {
    const pem = csr(
      key,
      okSubject,
      extensionRequest(sanExtension(dns('ok.example.com'))),
      extensionRequest(sanExtension(ip(203, 0, 113, 7), email('ceo@evil.example'), uri('https://evil.example/x'))),
    );
    await expectRefused(pem, /more than one extensionRequest attribute/);
  });

  it('two subjectAltName extensions in one extensionRequest are refused', async () => {
    const pem = csr(key, okSubject, extensionRequest(sanExtension(dns('ok.example.com')), sanExtension(dns('evil.com'))));
    await expectRefused(pem, /asks for the subjectAltName extension more than once/);
  });

  it('a subject with two CNs (openssl req -subj /CN=ok.example.com/CN=evil.com) is refused, naming both', async () => {
    const keyFile = join(work, 'two-cn.key');
    const csrFile = join(work, 'two-cn.csr');
    execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', csrFile, '-subj', '/CN=ok.example.com/CN=evil.com'], { stdio: 'pipe' });
    await expectRefused(readFileSync(csrFile, 'utf8'), /more than one common name \(CN\) \("ok\.example\.com" and "evil\.com"\)/);
  });

  it('a second O hidden after the allowed one is refused', async () => {
    const pem = csr(key, name(rdn(OID.o, utf8String('Example Inc')), rdn(OID.o, utf8String('Evil Corp')), rdn(OID.cn, utf8String('ok.example.com'))));
    await expectRefused(pem, /more than one organization \(O\)/);
  });

  it('a subject attribute the policy cannot check (emailAddress) is refused, naming it', async () => {
    const pem = csr(key, name(rdn('1.2.840.113549.1.9.1', ia5String('ceo@evil.example')), rdn(OID.cn, utf8String('ok.example.com'))));
    await expectRefused(pem, /ceo@evil\.example.*cannot check/);
  });

  it('a SAN kind the policy cannot check (directoryName) is refused', async () => {
    const directoryName = tlv(contextTag(4, true), name(rdn(OID.cn, utf8String('evil.com'))));
    await expectRefused(csr(key, okSubject, extensionRequest(sanExtension(dns('ok.example.com'), directoryName))), /holds a name an issuing template cannot check/);
  });

  it('an empty SAN extension (as vcert adds to CN-only requests) is accepted and the certificate has no empty SAN', async () => {
    const subject = name(rdn(OID.c, printableString('US')), rdn(OID.cn, utf8String('ok.example.com')));
    const text = await issuedText(csr(key, subject, extensionRequest(sequence(oid(OID.san), tlv(0x04, sequence())))));
    expect(text).toMatch(/Subject: C\s?=\s?US, CN\s?=\s?ok\.example\.com/);
    expect(text).not.toMatch(/Subject Alternative Name/);
  });
});
