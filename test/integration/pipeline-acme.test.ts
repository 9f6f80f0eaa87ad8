import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rpcInputSchemas } from '../../src/shared/client';
import { createSatellite, type Satellite } from '../../src/main/core/satellite';
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

  it('a name pebble would refuse (an underscore) is refused by the satellite first, naming the field; no key is made and pebble is not asked', async () => {
    const before = (await satellite.call('listCertificateRequests', { limit: 1000 })).length;
    const refused = await Promise.resolve().then(() => request('bad_name.example.test')).then(
      () => undefined,
      (error: Error) => error,
    );
    expect((refused as unknown as { issues: { message: string }[] }).issues[0]!.message).toMatch(/commonName "bad_name\.example\.test" is not a valid DNS name: the label "bad_name" may contain only letters, digits and hyphens/);
    expect((await satellite.call('listCertificateRequests', { limit: 1000 })).length).toBe(before);
  });

  it('advises when to renew: the satellite rule while pebble offers no Renewal Information, the CA\'s window once the CA does', async () => {
    const issued = await request('renewal.example.test');
    expect(issued.status).toBe('ISSUED');
    const id = issued.certificateIds[0]!;
    writeFileSync(join(work, 'renewal.pem'), (await satellite.call('getCertificate', { id })).pem);
    const date = (flag: string) => Date.parse(openssl(['x509', '-in', 'renewal.pem', '-noout', flag]).split('=')[1]!.trim());
    const [notBefore, notAfter] = [date('-startdate'), date('-enddate')];

    const own = await satellite.call('getRenewalAdvice', { id });
    expect(own).toMatchObject({ certificateId: id, source: 'SATELLITE', state: 'NOT_YET' });
    expect(own.reason).toMatch(/gave no Renewal Information.*last third of the lifetime/);
    expect(own.start).toBe(new Date(notBefore + ((notAfter - notBefore) * 2) / 3).toISOString());
    expect(own.end).toBe(new Date(notBefore + ((notAfter - notBefore) * 5) / 6).toISOString());

    // A directory that offers renewalInfo (RFC 9773), on loopback: Debian's pebble 2.4 has none.
    const asked: string[] = [];
    const window = { start: new Date(Date.now() - 3600_000).toISOString(), end: new Date(Date.now() + 3600_000).toISOString() };
    const ari = createServer((req, res) => {
      asked.push(req.url ?? '');
      const base = `http://127.0.0.1:${(ari.address() as { port: number }).port}`;
      if (req.url === '/dir') return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ newNonce: `${base}/n`, newAccount: `${base}/a`, newOrder: `${base}/o`, renewalInfo: `${base}/renewal-info` }));
      if (req.url?.startsWith('/renewal-info/')) return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ suggestedWindow: window, explanationURL: 'https://ca.example.test/incident' }));
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => ari.listen(0, '127.0.0.1', resolve));
    try {
      const template = (await satellite.call('listIssuingTemplates', {})).find((t) => t.id === templateId)!;
      const directoryUrl = `http://127.0.0.1:${(ari.address() as { port: number }).port}/dir`;
      await satellite.call('saveIssuingTemplate', rpcInputSchemas.saveIssuingTemplate.parse({ ...template, caSettings: { ...template.caSettings, directoryUrl } }));

      const fromCa = await satellite.call('getRenewalAdvice', { id });
      expect(fromCa).toMatchObject({ source: 'CA', state: 'DUE', start: window.start, end: window.end, explanationUrl: 'https://ca.example.test/incident' });
      // The CA was asked about this certificate by its RFC 9773 name, built here from what openssl reads.
      // OpenSSL 3.0 prints the key id alone on the line after the header (older ones prefix "keyid:").
      const akiText = openssl(['x509', '-in', 'renewal.pem', '-noout', '-ext', 'authorityKeyIdentifier']);
      const keyId = /^\s*(?:keyid:)?((?:[0-9A-F]{2}:)+[0-9A-F]{2})\s*$/im.exec(akiText)?.[1]?.replaceAll(':', '');
      expect(keyId, akiText).toBeDefined();
      let serial = openssl(['x509', '-in', 'renewal.pem', '-noout', '-serial']).split('=')[1]!.trim();
      if (serial.length % 2 === 1) serial = `0${serial}`;
      if (/^[89A-F]/i.test(serial)) serial = `00${serial}`;
      expect(asked).toContain(`/renewal-info/${Buffer.from(keyId!, 'hex').toString('base64url')}.${Buffer.from(serial, 'hex').toString('base64url')}`);
    } finally {
      ari.closeAllConnections();
      await new Promise<void>((resolve) => ari.close(() => resolve()));
    }
  });
});
