import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rpcInputSchemas } from '../../src/shared/client';
import type { Satellite } from '../../src/main/core/satellite';
import { openTestSatellite, type TestSatellite } from '../helpers/test-satellite';

// Issue 7: connector secrets (EAB HMAC key, cloud API key) are sealed under the DEK and never
// land in settings; the Requests page lists requests newest first, filtered by status.

const EAB_HMAC_KEY = 'zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W';
const CLOUD_API_KEY = '1f4ad7e2-0000-4e5b-9f3a-cloud-api-key-value';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('connector secrets and the request list', () => {
  let test: TestSatellite;
  let dataDir: string;
  let satellite: Satellite;

  beforeAll(async () => {
    test = await openTestSatellite('connector-secrets');
    ({ dataDir, satellite } = test);
  });

  afterAll(() => test?.close());

  const acme = {
    name: 'ZeroSSL',
    certificateAuthority: 'ACME',
    caSettings: { type: 'ACME', directoryUrl: 'https://acme.zerossl.com/v2/DV90', termsOfServiceAgreed: true, eabKeyId: 'kid-1', challenge: { type: 'dns-01', hookCommand: '/usr/local/bin/dns-hook' } },
    keyTypes: [{ keyType: 'EC', keyCurves: ['P256'] }],
    validityPeriod: 'P90D',
  };

  it('seals the EAB HMAC key and the cloud API key; settings keep only their ids', async () => {
    const acmeTemplate = await satellite.call('saveIssuingTemplate', rpcInputSchemas.saveIssuingTemplate.parse({ ...acme, connectorSecrets: { eabHmacKey: EAB_HMAC_KEY } }));
    expect(acmeTemplate.caSettings).toMatchObject({ type: 'ACME', eabHmacKeySecretId: expect.stringMatching(/^acme-eab\//) });
    const cloudTemplate = await satellite.call(
      'saveIssuingTemplate',
      rpcInputSchemas.saveIssuingTemplate.parse({
        name: 'Cloud',
        certificateAuthority: 'CLOUD',
        caSettings: { type: 'CLOUD', baseUrl: 'https://api.venafi.cloud', remoteApplicationId: '785a6260-28f5-11eb-804b-6769144073a1', remoteCertificateIssuingTemplateId: '11a0c6e2-28f5-11eb-999a-4d91b3bd6de9' },
        keyTypes: [{ keyType: 'RSA', keyLengths: [2048] }],
        validityPeriod: 'P90D',
        connectorSecrets: { apiKey: CLOUD_API_KEY },
      }),
    );
    expect(cloudTemplate.caSettings).toMatchObject({ type: 'CLOUD', apiKeySecretId: expect.stringMatching(/^cloud-api-key\//) });
    // Saving again without the secret keeps the one sealed before.
    const again = await satellite.call('saveIssuingTemplate', rpcInputSchemas.saveIssuingTemplate.parse({ ...acmeTemplate }));
    expect(again.caSettings).toMatchObject({ eabHmacKeySecretId: (acmeTemplate.caSettings as { eabHmacKeySecretId: string }).eabHmacKeySecretId });

    for (const file of filesUnder(dataDir)) {
      const bytes = readFileSync(file);
      expect(bytes.includes(EAB_HMAC_KEY), file).toBe(false);
      expect(bytes.includes(CLOUD_API_KEY), file).toBe(false);
    }
  });

  it('refuses a secret for the wrong kind of CA, and a cloud template without an API key', async () => {
    await expect(satellite.call('saveIssuingTemplate', rpcInputSchemas.saveIssuingTemplate.parse({ ...acme, connectorSecrets: { apiKey: 'x' } }))).rejects.toThrow(
      /connectorSecrets.apiKey is only for cloud templates/,
    );
    await expect(
      satellite.call(
        'saveIssuingTemplate',
        rpcInputSchemas.saveIssuingTemplate.parse({
          name: 'Cloud without key',
          certificateAuthority: 'CLOUD',
          caSettings: { type: 'CLOUD', baseUrl: 'https://api.venafi.cloud', remoteApplicationId: '785a6260-28f5-11eb-804b-6769144073a1', remoteCertificateIssuingTemplateId: '11a0c6e2-28f5-11eb-999a-4d91b3bd6de9' },
          keyTypes: [{ keyType: 'RSA', keyLengths: [2048] }],
          validityPeriod: 'P90D',
        }),
      ),
    ).rejects.toThrow(/connectorSecrets.apiKey is required for a cloud template/);
  });

  it('lists requests newest first, filtered by status', async () => {
    const [application] = await satellite.call('listApplications', {});
    const templateId = Object.values(application!.certificateIssuingTemplateAliasIdMap)[0]!;
    const submit = (commonName: string, validityPeriod: string) =>
      satellite.call(
        'requestCertificate',
        rpcInputSchemas.requestCertificate.parse({ isVaaSGenerated: true, applicationId: application!.id, certificateIssuingTemplateId: templateId, validityPeriod, csrAttributes: { commonName, keyTypeParameters: { keyType: 'EC', keyCurve: 'P256' } } }),
      );
    const first = await submit('one.example.com', 'P7D');
    const rejected = await submit('two.example.com', 'P5000D');
    const all = await satellite.call('listCertificateRequests', rpcInputSchemas.listCertificateRequests.parse({}));
    expect(all.map((r) => r.id)).toEqual([rejected.id, first.id]);
    const onlyRejected = await satellite.call('listCertificateRequests', rpcInputSchemas.listCertificateRequests.parse({ statuses: ['REJECTED'] }));
    expect(onlyRejected.map((r) => r.id)).toEqual([rejected.id]);
  });
});
