import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CertificateRequestBody, CertificateRequestRecord } from '../../src/shared/certificate-request';
import { rpcInputSchemas } from '../../src/shared/client';
import { createSatellite, type Satellite } from '../../src/main/core/satellite';
import { openInventoryStore } from '../../src/main/core/store';
import { seedRequestBody } from '../helpers/seed-request';
import { TOOLS, describeWithTools } from '../helpers/tools';

// Issue 3, second "Done when": a template's policy is checked before any key is made. A CN
// outside its regex, a key type it does not allow and a validity above its maximum are each
// REJECTED with errorInformation naming the field, and no key blob, CSR or certificate exists.

const PASSPHRASE = 'a test passphrase 123';
let dataDir: string;
let satellite: Satellite;
let applicationId: string;
let templateId: string;

function body(change: (b: CertificateRequestBody) => void): CertificateRequestBody {
  const b = seedRequestBody({ applicationId, certificateIssuingTemplateId: templateId });
  b.csrAttributes!.commonName = 'www.example.com';
  b.csrAttributes!.subjectAlternativeNamesByType = { dnsNames: ['www.example.com'] };
  change(b);
  return b;
}

const submit = (b: CertificateRequestBody) => satellite.call('requestCertificate', rpcInputSchemas.requestCertificate.parse(b));

function fieldsOf(request: CertificateRequestRecord): string[] {
  return (request.errorInformation!.args as { field: string }[]).map((a) => a.field);
}

describeWithTools([TOOLS.openssl])('template policy before any key is made', () => {
  const rejected: CertificateRequestRecord[] = [];
  let issued: CertificateRequestRecord;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ks-pipeline-policy-'));
    satellite = await createSatellite({ dataDir, dekStore: 'file', dekPassphrase: PASSPHRASE });
    await satellite.resumed;
    const template = await satellite.call(
      'saveIssuingTemplate',
      rpcInputSchemas.saveIssuingTemplate.parse({
        name: 'example.com, RSA 2048, 30 days',
        certificateAuthority: 'BUILTIN',
        caSettings: { type: 'BUILTIN' },
        keyTypes: [{ keyType: 'RSA', keyLengths: [2048] }],
        validityPeriod: 'P30D',
        subjectCNRegexes: ['.*\\.example\\.com'],
      }),
    );
    templateId = template.id;
    const [application] = (await satellite.call('listApplications', rpcInputSchemas.listApplications.parse({}))).filter((a) => a.name === 'Default');
    applicationId = application!.id;
    await satellite.call(
      'saveApplication',
      rpcInputSchemas.saveApplication.parse({
        id: application!.id,
        name: application!.name,
        description: application!.description,
        certificateIssuingTemplateAliasIdMap: { ...application!.certificateIssuingTemplateAliasIdMap, Strict: template.id },
      }),
    );
    // A request inside the policy goes through: the template works, so the rejections below are its rules.
    issued = await submit(body(() => {}));
  });

  afterAll(async () => {
    await satellite?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('issues a request that meets the policy', () => {
    expect(issued.errorInformation).toBeUndefined();
    expect(issued.status).toBe('ISSUED');
  });

  it('rejects a CN outside subjectCNRegexes, naming csrAttributes.commonName, the value and the rule', async () => {
    const request = await submit(
      body((b) => {
        b.csrAttributes!.commonName = 'www.example.org';
        b.csrAttributes!.subjectAlternativeNamesByType = { dnsNames: [] };
      }),
    );
    rejected.push(request);
    expect(request.status).toBe('REJECTED');
    expect(request.errorInformation!.type).toBe('POLICY');
    expect(request.errorInformation!.message).toContain('csrAttributes.commonName');
    expect(request.errorInformation!.message).toContain('www.example.org');
    expect(request.errorInformation!.message).toContain('.*\\.example\\.com');
    expect(fieldsOf(request)).toContain('csrAttributes.commonName');
  });

  it('rejects an EC key under an RSA 2048 only template, naming csrAttributes.keyTypeParameters', async () => {
    const request = await submit(body((b) => (b.csrAttributes!.keyTypeParameters = { keyType: 'EC', keyCurve: 'P256' })));
    rejected.push(request);
    expect(request.status).toBe('REJECTED');
    expect(request.errorInformation!.message).toContain('csrAttributes.keyTypeParameters');
    expect(request.errorInformation!.message).toContain('EC P-256');
    expect(request.errorInformation!.message).toContain('RSA 2048');
    expect(fieldsOf(request)).toEqual(['csrAttributes.keyTypeParameters']);
  });

  it('rejects P90D under a P30D maximum, naming validityPeriod', async () => {
    const request = await submit(body((b) => (b.validityPeriod = 'P90D')));
    rejected.push(request);
    expect(request.status).toBe('REJECTED');
    expect(request.errorInformation!.message).toContain('validityPeriod');
    expect(request.errorInformation!.message).toContain('P90D');
    expect(request.errorInformation!.message).toContain('P30D');
    expect(fieldsOf(request)).toEqual(['validityPeriod']);
  });

  it('made no key, CSR or certificate for any rejected request (read from the store after close)', async () => {
    expect(rejected).toHaveLength(3);
    for (const request of rejected) {
      expect(request.certificateSigningRequest).toBeUndefined();
      expect(request.certificateIds).toEqual([]);
      expect(request.statusHistory.map((s) => s.status)).toEqual(['REJECTED']);
    }
    await satellite.close();
    const store = openInventoryStore(join(dataDir, 'inventory.sqlite'));
    try {
      // The one blob is the issued request's key; none for a rejected one.
      expect(store.listKeyBlobs().map((b) => b.recordId)).toEqual([issued.id]);
      for (const request of rejected) {
        expect(store.getKeyBlob(request.id)).toBeUndefined();
        expect(store.getRequest(request.id)?.status).toBe('REJECTED');
      }
    } finally {
      store.close();
    }
  });
});
