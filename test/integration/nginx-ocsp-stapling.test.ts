import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port';
import { startSatelliteServer, type SatelliteServer } from '../helpers/satellite-server';
import { seedRequestBody } from '../helpers/seed-request';
import { describeWithTools, TOOLS } from '../helpers/tools';

// OCSP stapling as a web server does it: Debian's nginx serves a certificate of the built-in CA
// with `ssl_stapling on; ssl_stapling_verify on`, asks the responder the certificate names (its own
// HTTP/1.0 GET) and staples the verified answer into the handshake, where `openssl s_client
// -status` and `curl --cert-status` read it: good. After a revocation a restarted nginx learns it
// from the responder and staples nothing, as nginx does with a "revoked" answer.

const NGINX = { command: 'nginx', install: 'apt-get install nginx' };
const CURL = { command: 'curl', install: 'apt-get install curl' };

describeWithTools([TOOLS.openssl, NGINX, CURL])('nginx staples the built-in CA\'s OCSP answers', () => {
  let sat: SatelliteServer;
  let work: string;
  let nginxDir: string;
  let nginx: ChildProcess | undefined;
  let port: number;
  let fingerprint: string;
  const file = (name: string) => join(work, name);
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sat.url}${path}`, { method, headers: { 'tppl-api-key': sat.apiKey, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, text: await res.text() };
  };

  const curlCertStatus = () =>
    spawnSync('curl', ['-sS', '--max-time', '10', '--cert-status', '--cacert', file('root.pem'), '--resolve', `stapled.example.test:${port}:127.0.0.1`, `https://stapled.example.test:${port}/`], { encoding: 'utf8' });

  const startNginx = async () => {
    nginx = spawn('nginx', ['-c', join(nginxDir, 'nginx.conf'), '-p', nginxDir], { stdio: 'ignore' });
    for (let i = 0; i < 50 && spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${port}`], { input: '', timeout: 2000 }).status !== 0; i++) await new Promise((r) => setTimeout(r, 100));
  };
  const stopNginx = async () => {
    const exited = new Promise((r) => nginx?.once('exit', r));
    nginx?.kill('SIGKILL');
    await exited;
  };
  /**
   * What the handshake's stapled OCSP answer says. nginx asks the responder after the first
   * handshake that wants one, so the first few may carry none: asked until one comes, at most
   * 150 times (a busy CI machine).
   */
  const stapled = async (): Promise<string> => {
    let text = '';
    for (let i = 0; i < 150; i++) {
      const r = spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'stapled.example.test', '-status', '-CAfile', file('root.pem')], { input: '', encoding: 'utf8', timeout: 5000 });
      text = r.stdout;
      if (/OCSP Response Status: successful/.test(text)) return text;
      await new Promise((res) => setTimeout(res, 100));
    }
    return text;
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'ks-stapling-'));
    sat = await startSatelliteServer();
    expect(sat.pkiUrl, sat.output().stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', file('site.key'), '-out', file('site.csr'), '-subj', '/CN=stapled.example.test', '-addext', 'subjectAltName=DNS:stapled.example.test'], { stdio: 'ignore' });
    const apps = JSON.parse((await api('GET', '/outagedetection/v1/applications')).text) as { applications: { id: string; certificateIssuingTemplateAliasIdMap: Record<string, string> }[] };
    const ids = { applicationId: apps.applications[0]!.id, certificateIssuingTemplateId: apps.applications[0]!.certificateIssuingTemplateAliasIdMap.Default! };
    const made = await api('POST', '/outagedetection/v1/certificaterequests', { ...seedRequestBody(ids), isVaaSGenerated: undefined, csrAttributes: undefined, certificateSigningRequest: readFileSync(file('site.csr'), 'utf8') });
    expect(made.status, made.text).toBe(201);
    const certificateId = (JSON.parse(made.text) as { certificateRequests: { certificateIds: string[] }[] }).certificateRequests[0]!.certificateIds[0]!;
    const pem = (await api('GET', `/outagedetection/v1/certificates/${certificateId}/contents?format=PEM&chainOrder=EE_FIRST`)).text;
    const [leaf, intermediate, root] = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g)!;
    writeFileSync(file('fullchain.pem'), leaf! + intermediate!);
    writeFileSync(file('issuers.pem'), intermediate! + root!);
    writeFileSync(file('root.pem'), root!);
    fingerprint = (JSON.parse((await api('GET', `/outagedetection/v1/certificates/${certificateId}`)).text) as { fingerprint: string }).fingerprint;

    port = await freePort();
    nginxDir = join(work, 'nginx');
    mkdirSync(nginxDir);
    writeFileSync(
      join(nginxDir, 'nginx.conf'),
      `daemon off; master_process off; pid ${nginxDir}/nginx.pid; error_log ${nginxDir}/error.log info;
events {}
http {
  access_log off; client_body_temp_path ${nginxDir}; proxy_temp_path ${nginxDir}; fastcgi_temp_path ${nginxDir}; uwsgi_temp_path ${nginxDir}; scgi_temp_path ${nginxDir};
  server { listen 127.0.0.1:${port} ssl; server_name stapled.example.test;
    ssl_certificate ${file('fullchain.pem')}; ssl_certificate_key ${file('site.key')};
    ssl_stapling on; ssl_stapling_verify on; ssl_trusted_certificate ${file('issuers.pem')};
    location / { default_type text/plain; return 200 "served by nginx\\n"; } }
}
`,
    );
    await startNginx();
  }, 240_000);

  afterAll(async () => {
    nginx?.kill('SIGKILL');
    await sat?.kill();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('staples a verified "good" answer from the responder the certificate names', async () => {
    const text = await stapled();
    expect(text, readFileSync(join(nginxDir, 'error.log'), 'utf8').slice(-2000)).toMatch(/OCSP Response Status: successful/);
    expect(text).toMatch(/Cert Status: good/);
    expect(text).toMatch(/Subject: CN\s*=\s*Keypair Satellite OCSP responder/);
    expect(text).toMatch(/Verify return code: 0 \(ok\)/);
    expect(readFileSync(join(nginxDir, 'error.log'), 'utf8')).not.toMatch(/OCSP.*(error|failed)/i);
    // curl --cert-status insists on a stapled, verified, good answer.
    const curl = curlCertStatus();
    expect(curl.stderr).toBe('');
    expect(curl.stdout).toBe('served by nginx\n');
  });

  it('after the certificate is revoked, a restarted nginx learns it from the responder and staples nothing', async () => {
    const query = 'mutation RevokeCertificateRequest($fingerprint: ID!, $certificateAuthorityAccountId: UUID, $revocationReason: RevocationReason!, $revocationComment: String) { revokeCertificate(fingerprint: $fingerprint) { id } }';
    const revoked = await api('POST', '/graphql', { operationName: 'RevokeCertificateRequest', query, variables: { fingerprint, revocationReason: 'KEY_COMPROMISE' } });
    expect(revoked.status, revoked.text).toBe(200);
    // nginx keeps a staple until it expires; a new process asks again. It never staples a
    // "revoked" answer: it logs it and sends none.
    await stopNginx();
    await startNginx();
    const log = () => readFileSync(join(nginxDir, 'error.log'), 'utf8');
    const learned = /certificate status "revoked" in the OCSP response while requesting certificate status, responder: 127\.0\.0\.1/;
    for (let i = 0; i < 150 && !learned.test(log()); i++) {
      spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-status'], { input: '', timeout: 5000 });
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(log()).toMatch(learned);
    const handshake = spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'stapled.example.test', '-status', '-CAfile', file('root.pem')], { input: '', encoding: 'utf8', timeout: 5000 });
    expect(handshake.stdout).toMatch(/OCSP response: no response sent/);
    const curl = curlCertStatus();
    expect(curl.status).not.toBe(0);
    expect(curl.stderr).toMatch(/No OCSP response received/);
  });
});
