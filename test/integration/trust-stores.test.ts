import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../helpers/browser';
import { startSatelliteServer, type SatelliteServer } from '../helpers/satellite-server';
import { seedRequestBody } from '../helpers/seed-request';
import { freePort } from '../helpers/free-port';
import { makeThrowawayTrustStores } from '../helpers/throwaway-trust-stores';
import { describeWithTools, TOOLS } from '../helpers/tools';

// Issue 17: "Trust this CA on this computer" (npm run serve -- --install-root), as mkcert -install
// does it, checked by the programs that trust: Debian's nginx serves a certificate of the built-in
// CA; after install, curl with no --cacert (the system bundle update-ca-certificates rebuilt) and
// real Chromium (its NSS database) load the page with no certificate error, and keytool lists the
// root in cacerts; after uninstall they refuse it again. Every store is a throwaway copy: a system
// root for update-ca-certificates --sysroot, a HOME with its own NSS database, a copy of cacerts.

const REPO = resolve(__dirname, '../..');
const PASSPHRASE = 'trust test dek passphrase';
const NGINX = { command: 'nginx', install: 'apt-get install nginx' };
const CERTUTIL = { command: 'certutil', install: 'apt-get install libnss3-tools' };
const UPDATE_CA = { command: 'update-ca-certificates', install: 'apt-get install ca-certificates' };
const CURL = { command: 'curl', install: 'apt-get install curl' };

describeWithTools([TOOLS.openssl, TOOLS.keytool, TOOLS.chromium, NGINX, CERTUTIL, UPDATE_CA, CURL])('trusting the built-in CA on this computer', () => {
  let work: string;
  let dataDir: string;
  let sysroot: string;
  let home: string;
  let cacerts: string;
  let nginx: ChildProcess | undefined;
  let browser: TestBrowser | undefined;
  let url: string;
  const bundle = () => join(sysroot, 'etc', 'ssl', 'certs', 'ca-certificates.crt');

  const trustCommand = (flag: '--install-root' | '--uninstall-root') =>
    spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'src/main/api/cli.ts'), '--data-dir', dataDir, '--dek-store', 'file', flag, '--trust-home', home, '--trust-sysroot', sysroot, '--trust-java-cacerts', cacerts], {
      cwd: REPO,
      encoding: 'utf8',
      env: { ...process.env, SATELLITE_DEK_PASSPHRASE: PASSPHRASE },
      timeout: 120_000,
    });
  const curlPage = () => spawnSync('curl', ['-sS', '--max-time', '10', url], { encoding: 'utf8', env: { ...process.env, CURL_CA_BUNDLE: bundle(), SSL_CERT_FILE: bundle(), SSL_CERT_DIR: join(sysroot, 'etc', 'ssl', 'certs') } });
  const aliases = () => execFileSync('keytool', ['-list', '-keystore', cacerts, '-storepass', 'changeit'], { encoding: 'utf8' });
  const chromiumLoads = async (): Promise<string> => {
    browser = await launchBrowser({ env: { HOME: home } });
    try {
      const page = await browser.newPage();
      try {
        const response = await page.goto(url, { timeout: 20_000 });
        return `${response?.status()} ${(await page.innerText('body')).trim()}`;
      } catch (error) {
        return (error as Error).message;
      }
    } finally {
      await browser.close();
      browser = undefined;
    }
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'ks-trust-'));
    dataDir = join(work, 'data');
    ({ sysroot, home, cacerts } = makeThrowawayTrustStores(work));

    // Install first (it makes the CA), then the satellite serves and issues the page's certificate.
    const installed = trustCommand('--install-root');
    expect(installed.status, `${installed.stdout}\n${installed.stderr}`).toBe(0);
    expect(installed.stdout).toMatch(/done\s+system/);
    expect(installed.stdout).toMatch(/done\s+nss/);
    expect(installed.stdout).toMatch(/done\s+java/);

    const sat: SatelliteServer = await startSatelliteServer({ dataDir, dekPassphrase: PASSPHRASE });
    try {
      execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(work, 'site.key'), '-out', join(work, 'site.csr'), '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
      const apps = (await (await fetch(`${sat.url}/outagedetection/v1/applications`, { headers: { 'tppl-api-key': sat.apiKey } })).json()) as { applications: { id: string; certificateIssuingTemplateAliasIdMap: Record<string, string> }[] };
      const body = { ...seedRequestBody({ applicationId: apps.applications[0]!.id, certificateIssuingTemplateId: apps.applications[0]!.certificateIssuingTemplateAliasIdMap.Default! }), isVaaSGenerated: undefined, csrAttributes: undefined, certificateSigningRequest: execFileSync('cat', [join(work, 'site.csr')], { encoding: 'utf8' }) };
      const made = await fetch(`${sat.url}/outagedetection/v1/certificaterequests`, { method: 'POST', headers: { 'tppl-api-key': sat.apiKey, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const text = await made.text();
      expect(made.status, text).toBe(201);
      const id = (JSON.parse(text) as { certificateRequests: { certificateIds: string[] }[] }).certificateRequests[0]!.certificateIds[0]!;
      writeFileSync(join(work, 'site.pem'), await (await fetch(`${sat.url}/outagedetection/v1/certificates/${id}/contents?format=PEM&chainOrder=EE_FIRST`, { headers: { 'tppl-api-key': sat.apiKey } })).text());
    } finally {
      await sat.kill();
    }

    // Debian's nginx, as an ordinary process on a loopback port (one process: no workers, no user switch).
    const port = await freePort();
    url = `https://127.0.0.1:${port}/`;
    const nginxDir = join(work, 'nginx');
    mkdirSync(nginxDir);
    writeFileSync(
      join(nginxDir, 'nginx.conf'),
      `daemon off; master_process off; pid ${nginxDir}/nginx.pid; error_log ${nginxDir}/error.log;
events {}
http {
  access_log off; client_body_temp_path ${nginxDir}; proxy_temp_path ${nginxDir}; fastcgi_temp_path ${nginxDir}; uwsgi_temp_path ${nginxDir}; scgi_temp_path ${nginxDir};
  server { listen 127.0.0.1:${port} ssl; ssl_certificate ${join(work, 'site.pem')}; ssl_certificate_key ${join(work, 'site.key')};
    location / { default_type text/plain; return 200 "served by nginx\\n"; } }
}
`,
    );
    nginx = spawn('nginx', ['-c', join(nginxDir, 'nginx.conf'), '-p', nginxDir], { stdio: 'ignore' });
    for (let i = 0; i < 50 && spawnSync('curl', ['-sk', '--max-time', '1', url]).status !== 0; i++) await new Promise((r) => setTimeout(r, 100));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    nginx?.kill('SIGKILL');
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('installed: curl with no --cacert, real Chromium (its NSS database) and keytool trust the root', async () => {
    const curl = curlPage();
    expect(curl.status, curl.stderr).toBe(0);
    expect(curl.stdout).toBe('served by nginx\n');
    expect(await chromiumLoads()).toBe('200 served by nginx');
    expect(aliases()).toMatch(/keypair satellite root [0-9a-f]{12}/i);
  }, 120_000);

  it('uninstalled: every store it added to refuses the page again, and the stores are as they were', async () => {
    const removed = trustCommand('--uninstall-root');
    expect(removed.status, `${removed.stdout}\n${removed.stderr}`).toBe(0);
    expect(removed.stdout).toMatch(/Removed from 3 store\(s\)/);
    const curl = curlPage();
    expect(curl.status).not.toBe(0);
    expect(curl.stderr).toMatch(/certificate/i);
    expect(await chromiumLoads()).toMatch(/ERR_CERT_AUTHORITY_INVALID/);
    expect(aliases()).not.toMatch(/keypair satellite root/i);
  }, 120_000);
});
