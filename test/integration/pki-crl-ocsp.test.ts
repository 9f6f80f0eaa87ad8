import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSatelliteServer, type SatelliteServer } from '../helpers/satellite-server';
import { afterSocketCloses } from '../helpers/cloud-fetch';
import { seedRequestBody } from '../helpers/seed-request';
import { describeWithTools, TOOLS } from '../helpers/tools';

// Issue 17: where relying parties look. A certificate of the built-in CA names its CRL (CDP) and
// its issuer and OCSP responder (AIA); the satellite's PKI listener serves them over plain HTTP
// with no API key; openssl fetches, reads and verifies each; after a revocation the CRL and OCSP
// say "revoked", openssl verify -crl_check_all refuses the certificate; a serial the CA never
// issued is "unknown"; the listener answers nothing else of the satellite. The root publishes a
// CRL too, which the intermediate names, so openssl (-crl_download) and Java's PKIX validation
// check the whole chain from what they fetch themselves.

const CURL = { command: 'curl', install: 'apt-get install curl' };
const JAVA = { command: 'java', install: 'apt-get install default-jdk-headless' };
/** Java's PKIX validation with revocation checked from CRLs fetched at each CDP (test/helpers/java). */
const JAVA_VALIDATOR = fileURLToPath(new URL('../helpers/java/ValidateWithRevocation.java', import.meta.url));

describeWithTools([TOOLS.openssl, CURL, JAVA])('the built-in CA\'s CRL and OCSP, where clients look', () => {
  let sat: SatelliteServer;
  let dir: string;
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  /** openssl with its exit code and both streams (verify and ocsp print their verdicts on either). */
  const opensslRun = (...args: string[]) => {
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    return { status: r.status, text: `${r.stdout}\n${r.stderr}` };
  };
  const fetchTo = (url: string, name: string) => {
    const r = spawnSync('curl', ['-sS', '--max-time', '20', '-o', file(name), '-w', '%{http_code} %{content_type}', url], { encoding: 'utf8' });
    const [status, contentType] = r.stdout.split(' ');
    return { status: Number(status), contentType };
  };
  /** Java validating leaf.pem <- intermediate.pem up to root.pem, revocation from the CDPs (crl) or the leaf's OCSP responder (ocsp): "OK" or "REFUSED reason ...". */
  const javaValidate = (mode: 'crl' | 'ocsp' = 'crl') => {
    const r = spawnSync('java', ['-Dcom.sun.security.enableCRLDP=true', JAVA_VALIDATOR, mode, 'root.pem', 'intermediate.pem', 'leaf.pem'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    return { status: r.status, text: `${r.stdout}\n${r.stderr}` };
  };
  const api = async (method: string, path: string, body?: unknown) =>
    afterSocketCloses().then(() => fetch(`${sat.url}${path}`, { method, headers: { 'tppl-api-key': sat.apiKey, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }).then(async (r) => ({ status: r.status, json: (await r.json()) as Record<string, unknown> })));

  let crlUrl: string;
  let issuerUrl: string;
  let ocspUrl: string;
  let certificateId: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ks-pki-'));
    sat = await startSatelliteServer();
    expect(sat.pkiUrl, sat.output().stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const apps = (await api('GET', '/outagedetection/v1/applications')).json as { applications: { id: string; certificateIssuingTemplateAliasIdMap: Record<string, string> }[] };
    const app = apps.applications[0]!;
    const body = seedRequestBody({ applicationId: app.id, certificateIssuingTemplateId: app.certificateIssuingTemplateAliasIdMap.Default! }, ['pki.example.com']);
    body.csrAttributes!.commonName = 'pki.example.com';
    const made = await api('POST', '/outagedetection/v1/certificaterequests', body);
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    certificateId = (made.json.certificateRequests as { certificateIds: string[] }[])[0]!.certificateIds[0]!;
    const pem = await (await fetch(`${sat.url}/outagedetection/v1/certificates/${certificateId}/contents?format=PEM&chainOrder=EE_FIRST`, { headers: { 'tppl-api-key': sat.apiKey } })).text();
    const [leaf, intermediate, root] = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g)!;
    writeFileSync(file('leaf.pem'), leaf!);
    writeFileSync(file('intermediate.pem'), intermediate!);
    writeFileSync(file('root.pem'), root!);
  }, 120_000);

  afterAll(async () => {
    await sat?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the certificate names its CRL, issuer and OCSP responder under the PKI listener (openssl x509 -text)', () => {
    const text = openssl('x509', '-in', 'leaf.pem', '-noout', '-text');
    crlUrl = /X509v3 CRL Distribution Points:[\s\S]*?URI:(\S+)/.exec(text)?.[1] ?? '';
    ocspUrl = /OCSP - URI:(\S+)/.exec(text)?.[1] ?? '';
    issuerUrl = /CA Issuers - URI:(\S+)/.exec(text)?.[1] ?? '';
    expect([crlUrl, issuerUrl, ocspUrl]).toEqual([`${sat.pkiUrl}/pki/intermediate.crl`, `${sat.pkiUrl}/pki/intermediate.cer`, `${sat.pkiUrl}/pki/ocsp`]);
  });

  it('curl fetches the issuer (DER, application/pkix-cert) and the CRL (DER, application/pkix-crl); openssl reads and verifies the CRL', () => {
    expect(fetchTo(issuerUrl, 'issuer.der')).toEqual({ status: 200, contentType: 'application/pkix-cert' });
    expect(openssl('x509', '-inform', 'DER', '-in', 'issuer.der', '-noout', '-fingerprint', '-sha256')).toBe(openssl('x509', '-in', 'intermediate.pem', '-noout', '-fingerprint', '-sha256'));
    expect(fetchTo(crlUrl, 'crl.der')).toEqual({ status: 200, contentType: 'application/pkix-crl' });
    const crl = opensslRun('crl', '-inform', 'DER', '-in', 'crl.der', '-noout', '-text', '-CAfile', 'intermediate.pem');
    expect(crl.text).toMatch(/verify OK/);
    expect(crl.text).toMatch(/Next Update:/);
    expect(crl.text).toMatch(/No Revoked Certificates/);
  });

  it('the root\'s CRL (DER, application/pkix-crl) lists nothing; with it openssl verify -crl_check_all checks the whole chain and accepts the certificate', () => {
    expect(fetchTo(`${sat.pkiUrl}/pki/root.crl`, 'root-crl.der')).toEqual({ status: 200, contentType: 'application/pkix-crl' });
    const crl = opensslRun('crl', '-inform', 'DER', '-in', 'root-crl.der', '-noout', '-text', '-CAfile', 'root.pem');
    expect(crl.text).toMatch(/verify OK/);
    expect(crl.text).toMatch(/No Revoked Certificates/);
    writeFileSync(file('crl.pem'), openssl('crl', '-inform', 'DER', '-in', 'crl.der'));
    writeFileSync(file('root-crl.pem'), openssl('crl', '-inform', 'DER', '-in', 'root-crl.der'));
    const chainArgs = ['-CAfile', 'root.pem', '-untrusted', 'intermediate.pem', 'leaf.pem'];
    // The intermediate's CRL alone leaves the intermediate unchecked.
    const half = opensslRun('verify', '-crl_check_all', '-CRLfile', 'crl.pem', ...chainArgs);
    expect(half.status).not.toBe(0);
    expect(half.text).toMatch(/unable to get certificate CRL/);
    const whole = opensslRun('verify', '-crl_check_all', '-CRLfile', 'crl.pem', '-CRLfile', 'root-crl.pem', ...chainArgs);
    expect(whole.status, whole.text).toBe(0);
    expect(whole.text).toMatch(/leaf\.pem: OK/);
  });

  it('the intermediate names the root\'s CRL and certificate: openssl verify -crl_download fetches the root\'s CRL from it, and the leaf\'s CRL from the leaf', () => {
    const text = openssl('x509', '-in', 'intermediate.pem', '-noout', '-text');
    expect(/X509v3 CRL Distribution Points:[\s\S]*?URI:(\S+)/.exec(text)?.[1]).toBe(`${sat.pkiUrl}/pki/root.crl`);
    expect(/CA Issuers - URI:(\S+)/.exec(text)?.[1]).toBe(`${sat.pkiUrl}/pki/root.cer`);
    // The intermediate checked alone (-crl_check): its CRL, the root's, comes from its CDP.
    const intermediate = opensslRun('verify', '-crl_check', '-crl_download', '-CAfile', 'root.pem', 'intermediate.pem');
    expect(intermediate.status, intermediate.text).toBe(0);
    expect(intermediate.text).toMatch(/intermediate\.pem: OK/);
    // The whole chain: the leaf's CRL and the intermediate's come from their CDPs. openssl checks the
    // trust anchor as well under -crl_check_all, and a root names no CDP, so the root's CRL is given.
    const chain = opensslRun('verify', '-crl_check_all', '-crl_download', '-CRLfile', 'root-crl.pem', '-CAfile', 'root.pem', '-untrusted', 'intermediate.pem', 'leaf.pem');
    expect(chain.status, chain.text).toBe(0);
    expect(chain.text).toMatch(/leaf\.pem: OK/);
  });

  it('Java\'s PKIX validation, revocation checked from CRLs it fetches at each CDP, accepts the chain', () => {
    const java = javaValidate();
    expect(java.text.trim(), java.text).toBe('OK');
    expect(java.status).toBe(0);
  }, 60_000);

  it('Java\'s PKIX validation, the leaf checked by OCSP alone (Java asks the AIA\'s responder with a GET), accepts it', () => {
    const java = javaValidate('ocsp');
    expect(java.text.trim(), java.text).toBe('OK');
    expect(java.status).toBe(0);
  }, 60_000);

  it('OCSP says good, with a verified response and its nonce; a serial the CA never issued is unknown', () => {
    writeFileSync(file('chain.pem'), openssl('x509', '-in', 'intermediate.pem') + openssl('x509', '-in', 'root.pem'));
    const good = opensslRun('ocsp', '-issuer', 'intermediate.pem', '-cert', 'leaf.pem', '-url', ocspUrl, '-CAfile', 'chain.pem', '-resp_text');
    expect(good.text).toMatch(/Response verify OK/);
    expect(good.text).toMatch(/leaf\.pem: good/);
    expect(good.text).toMatch(/OCSP Nonce/);
    const unknown = opensslRun('ocsp', '-issuer', 'intermediate.pem', '-serial', '0x1234abcd', '-url', ocspUrl, '-CAfile', 'chain.pem');
    expect(unknown.text).toMatch(/Response verify OK/);
    expect(unknown.text).toMatch(/0x1234abcd: unknown/);
  });

  it('after a revocation: the CRL lists it and openssl verify -crl_check_all refuses it; OCSP says revoked with the time and reason', async () => {
    // Before: the CRLs fetched earlier let openssl accept the certificate.
    expect(opensslRun('verify', '-crl_check_all', '-CRLfile', 'crl.pem', '-CRLfile', 'root-crl.pem', '-CAfile', 'root.pem', '-untrusted', 'intermediate.pem', 'leaf.pem').text).toMatch(/leaf\.pem: OK/);
    const { json } = await api('GET', `/outagedetection/v1/certificates/${certificateId}`);
    const query = 'mutation RevokeCertificateRequest($fingerprint: ID!, $certificateAuthorityAccountId: UUID, $revocationReason: RevocationReason!, $revocationComment: String) { revokeCertificate(fingerprint: $fingerprint) { id } }';
    const revoked = await api('POST', '/graphql', { operationName: 'RevokeCertificateRequest', query, variables: { fingerprint: json.fingerprint, revocationReason: 'KEY_COMPROMISE' } });
    expect(revoked.status, JSON.stringify(revoked.json)).toBe(200);

    expect(fetchTo(crlUrl, 'crl-after.der').status).toBe(200);
    writeFileSync(file('crl-after.pem'), openssl('crl', '-inform', 'DER', '-in', 'crl-after.der'));
    const verify = opensslRun('verify', '-crl_check_all', '-CRLfile', 'crl-after.pem', '-CRLfile', 'root-crl.pem', '-CAfile', 'root.pem', '-untrusted', 'intermediate.pem', 'leaf.pem');
    expect(verify.status).not.toBe(0);
    expect(verify.text).toMatch(/certificate revoked/);
    const fetched = opensslRun('verify', '-crl_check_all', '-crl_download', '-CRLfile', 'root-crl.pem', '-CAfile', 'root.pem', '-untrusted', 'intermediate.pem', 'leaf.pem');
    expect(fetched.status).not.toBe(0);
    expect(fetched.text).toMatch(/certificate revoked/);
    const java = javaValidate();
    expect(java.status).toBe(1);
    expect(java.text).toMatch(/^REFUSED REVOKED at index 0: Certificate has been revoked, reason: KEY_COMPROMISE/m);
    const javaOcsp = javaValidate('ocsp');
    expect(javaOcsp.status, javaOcsp.text).toBe(1);
    expect(javaOcsp.text).toMatch(/^REFUSED REVOKED at index 0: Certificate has been revoked, reason: KEY_COMPROMISE/m);
    expect(openssl('crl', '-in', 'crl-after.pem', '-noout', '-text')).toMatch(/Key Compromise/);

    const ocsp = opensslRun('ocsp', '-issuer', 'intermediate.pem', '-cert', 'leaf.pem', '-url', ocspUrl, '-CAfile', 'chain.pem');
    expect(ocsp.text).toMatch(/Response verify OK/);
    expect(ocsp.text).toMatch(/leaf\.pem: revoked/);
    expect(ocsp.text).toMatch(/Reason: keyCompromise/);
    expect(ocsp.text).toMatch(/Revocation Time:/);
  });

  it('the PKI listener serves nothing else: the API, the web UI and unknown paths are 404 there, without an API key asked for', async () => {
    for (const path of ['/v1/useraccounts', '/outagedetection/v1/applications', '/ui/login', '/', '/pki/../v1/teams']) {
      const res = await fetch(`${sat.pkiUrl}${path}`, { headers: { 'tppl-api-key': sat.apiKey } });
      expect(res.status, path).toBe(404);
    }
    expect((await fetch(`${sat.pkiUrl}/pki/intermediate.crl`, { method: 'POST' })).status).toBe(405);
    // A request that is not one gets OCSP's own answer, malformedRequest (SEQUENCE { ENUMERATED 1 }), not an error page.
    for (const bad of [`${sat.pkiUrl}/pki/ocsp/%E0%A4%A`, `${sat.pkiUrl}/pki/ocsp/bm90IGFuIG9jc3AgcmVxdWVzdA==`]) {
      const res = await fetch(bad);
      expect(res.headers.get('content-type')).toBe('application/ocsp-response');
      expect(Buffer.from(await res.arrayBuffer()).toString('hex')).toBe('30030a0101');
    }
  });

  it('an OCSP request over 16 KiB gets 413 and says why: curl reads the answer after sending the whole body', () => {
    writeFileSync(file('huge-ocsp-request.der'), Buffer.alloc(4 * 1024 * 1024, 0x30));
    // No Expect: 100-continue, so curl sends the body before it looks for an answer, as most OCSP clients do.
    const r = spawnSync('curl', ['-sS', '--max-time', '20', '-H', 'content-type: application/ocsp-request', '-H', 'Expect:', '--data-binary', `@${file('huge-ocsp-request.der')}`, '-w', '\n%{http_code}', `${sat.pkiUrl}/pki/ocsp`], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('an OCSP request is at most 16384 bytes\n413');
  });
});

describeWithTools([TOOLS.openssl])('what the certificate page says about revocation', () => {
  it('names the CRL and OCSP URLs the certificate carries; without the PKI listener it says no client can learn of it', async () => {
    const { openTestSatellite } = await import('../helpers/test-satellite');
    const served = await openTestSatellite('pki-effect', { pkiBaseUrl: 'http://pki.example.test:7480' });
    const bare = await openTestSatellite('pki-effect-bare');
    try {
      const withPki = await served.request('served.example.com');
      const detail = await served.satellite.call('getCertificate', { id: withPki.certificateIds[0]! });
      expect(detail.revocationEffect).toBe(
        'The built-in CA will list it in its CRL at http://pki.example.test:7480/pki/intermediate.crl, and its OCSP responder at http://pki.example.test:7480/pki/ocsp will answer "revoked": clients that check either will refuse it while this satellite serves them.',
      );
      const without = await bare.request('bare.example.com');
      const bareDetail = await bare.satellite.call('getCertificate', { id: without.certificateIds[0]! });
      expect(bareDetail.revocationEffect).toMatch(/names no CRL or OCSP location .* only clients you give that CRL will refuse it/);
      expect(bareDetail.extensions.map((e) => e.name)).not.toContain('X509v3 CRL Distribution Points');
    } finally {
      await served.close();
      await bare.close();
    }
  });
});
