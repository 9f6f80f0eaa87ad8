import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rpcInputSchemas } from '../../src/shared/client';
import { createSatellite, type Satellite } from '../../src/main/core/satellite';
import { openInventoryStore } from '../../src/main/core/store';
import { freeTcpPort, startChalltestsrv, startPebble, type Challtestsrv, type Pebble } from '../helpers/pebble';
import { seedRequestBody } from '../helpers/seed-request';
import { TOOLS, describeWithTools } from '../helpers/tools';

// The whole seed sequence against a real ACME CA: the satellite makes the key and CSR, only the
// CSR goes to pebble (real http-01 validation), the certificate and chain are stored, and a
// keystore of the satellite's own key opens in openssl. Pebble's refusal becomes FAILED.

let work: string;
let dns: Challtestsrv;
let pebble: Pebble;
let satellite: Satellite;
let applicationId: string;
let templateId: string;

const openssl = (args: string[]) => execFileSync('openssl', args, { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function request(commonName: string) {
  const body = seedRequestBody({ applicationId, certificateIssuingTemplateId: templateId });
  body.csrAttributes = { commonName, keyTypeParameters: { keyType: 'EC', keyCurve: 'P256' } };
  body.validityPeriod = 'P90D';
  return satellite.call('requestCertificate', rpcInputSchemas.requestCertificate.parse(body));
}

describeWithTools([TOOLS.pebble, TOOLS.challtestsrv, TOOLS.openssl])('the request pipeline with an ACME template (pebble)', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'ks-pipeline-acme-'));
    const httpPort = await freeTcpPort();
    dns = await startChalltestsrv();
    pebble = await startPebble({ httpPort, dnsServer: dns.dnsAddress });
    satellite = await createSatellite({ dataDir: join(work, 'data'), dekStore: 'file', dekPassphrase: 'a test passphrase 123' });
    const template = await satellite.call(
      'saveIssuingTemplate',
      rpcInputSchemas.saveIssuingTemplate.parse({
        name: 'pebble',
        certificateAuthority: 'ACME',
        caSettings: {
          type: 'ACME',
          directoryUrl: pebble.directoryUrl,
          contactEmail: 'ops@example.test',
          termsOfServiceAgreed: true,
          tlsCaCertificatePem: pebble.tlsCaPem,
          challenge: { type: 'http-01', mode: 'standalone', listenAddress: '127.0.0.1', port: httpPort },
        },
        keyTypes: [{ keyType: 'EC', keyCurves: ['P256'] }],
        validityPeriod: 'P90D',
        sanRegexes: ['.*\\.example\\.test'],
        subjectCNRegexes: ['.*\\.example\\.test'],
      }),
    );
    templateId = template.id;
    const [application] = await satellite.call('listApplications', {});
    applicationId = application!.id;
    await satellite.call('saveApplication', rpcInputSchemas.saveApplication.parse({ ...application, certificateIssuingTemplateAliasIdMap: { ...application!.certificateIssuingTemplateAliasIdMap, acme: template.id } }));
  });

  afterAll(async () => {
    await satellite?.close();
    await pebble?.stop();
    await dns?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('issues through pebble, stores the chain, and exports the satellite-made key', async () => {
    const issued = await request('pipeline.example.test');
    expect(issued.errorInformation).toBeUndefined();
    expect(issued.status).toBe('ISSUED');
    expect(issued.certificateIds.length).toBeGreaterThanOrEqual(2);

    const detail = await satellite.call('getCertificate', { id: issued.certificateIds[0]! });
    writeFileSync(join(work, 'leaf.pem'), detail.pem);
    writeFileSync(join(work, 'root.pem'), await pebble.rootPem());
    const chain = await satellite.call('getCertificateText', { id: detail.certificate.id, chainOrder: 'EE_FIRST' });
    writeFileSync(join(work, 'chain.pem'), chain.pem.split(/(?=-----BEGIN CERTIFICATE-----)/).slice(1).join(''));
    expect(openssl(['verify', '-CAfile', 'root.pem', '-untrusted', 'chain.pem', 'leaf.pem'])).toContain('leaf.pem: OK');
    expect(openssl(['x509', '-in', 'leaf.pem', '-noout', '-ext', 'subjectAltName'])).toContain('DNS:pipeline.example.test');

    const p12 = await satellite.exportKeystore({ id: detail.certificate.id, exportFormat: 'PKCS12', privateKeyPassphrase: 'a keystore passphrase', certificateLabel: 'pipeline' });
    writeFileSync(join(work, 'out.p12'), p12.bytes);
    const keyPub = execFileSync('sh', ['-c', 'openssl pkcs12 -in out.p12 -passin pass:"a keystore passphrase" -nocerts -nodes | openssl pkey -pubout'], { cwd: work, encoding: 'utf8' });
    expect(keyPub).toBe(openssl(['x509', '-in', 'leaf.pem', '-noout', '-pubkey']));
  });

  it('an order pebble refuses is FAILED with pebble\'s words, and the sealed key is kept for a retry', async () => {
    const failed = await request('bad_name.example.test');
    expect(failed.status).toBe('FAILED');
    expect(failed.errorInformation?.message).toMatch(/the CA did not issue: .*(malformed|rejectedIdentifier|illegal)/i);
    await satellite.close();
    const store = openInventoryStore(join(work, 'data', 'inventory.sqlite'));
    try {
      expect(store.getKeyBlob(failed.id)).toBeDefined();
    } finally {
      store.close();
    }
    satellite = await createSatellite({ dataDir: join(work, 'data'), dekStore: 'file', dekPassphrase: 'a test passphrase 123' });
  });
});
