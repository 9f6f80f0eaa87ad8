import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { INVENTORY_FILE } from '../../src/main/core/store';
import type { AutomationDetail } from '../../src/shared/automation';
import { startSatelliteServer, type SatelliteServer } from '../helpers/satellite-server';
import { seedRequestBody } from '../helpers/seed-request';
import { freePort } from '../helpers/free-port';
import { describeWithTools, TOOLS } from '../helpers/tools';

// Issue 18: a certificate that renews and installs itself, checked by the programs that use it.
// Debian's nginx (an ordinary process on a 127.0.0.1 port, master and one worker: its single-process
// mode does not survive a reload) serves a site whose certificate, chain
// and key the satellite installs as PEM files, then reloads nginx (afterInstallAction). A one-hour
// certificate with renewBefore 58m is renewed, installed and reloaded by the scheduler with no call
// or click, and openssl s_client sees the new serial. The satellite is killed (SIGKILL) 30 times
// while it renews and installs: every time nginx's files are one certificate and its own key. A
// validation that fails puts the old files back and says so with its output; PKCS#12 and JKS
// targets open with openssl and keytool after each renewal.

const NGINX = { command: 'nginx', install: 'apt-get install nginx' };
const PASSPHRASE = 'automation test dek passphrase';
const KILLS = 30;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8' });

describeWithTools([TOOLS.openssl, TOOLS.keytool, NGINX])('certificates that renew and install themselves', () => {
  let work: string;
  let dataDir: string;
  let tls: string;
  let sat: SatelliteServer;
  let nginx: ChildProcess | undefined;
  let port: number;
  let nginxConf: string;
  let nginxDir: string;
  let applicationId: string;
  let hourTemplateId: string;

  const start = async () => {
    sat = await startSatelliteServer({ dataDir, dekPassphrase: PASSPHRASE, apiKey: 'ks_automation_test_api_key_0123456789', extraArgs: ['--scheduler-tick', '2s'] });
    return sat;
  };
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${sat.url}${path}`, {
      method,
      headers: { 'tppl-api-key': sat.apiKey, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const rpc = async <T>(method: string, input: unknown): Promise<T> => {
    const signIn = await fetch(`${sat.url}/ui/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ apiKey: sat.apiKey }) });
    const { sessionToken } = (await signIn.json()) as { sessionToken: string };
    const response = await fetch(`${sat.url}/ui/rpc/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-satellite-session': sessionToken, 'tppl-api-key': sat.apiKey }, body: JSON.stringify(input) });
    const json = (await response.json()) as T;
    if (response.status !== 200) throw new Error(`${method}: ${response.status} ${JSON.stringify(json)}`);
    return json;
  };
  /** A one-hour certificate for `name` from the built-in CA. */
  const issueHourCertificate = async (name: string): Promise<string> => {
    const body = seedRequestBody({ applicationId, certificateIssuingTemplateId: hourTemplateId }, [name]);
    body.csrAttributes!.commonName = name;
    body.csrAttributes!.keyTypeParameters = { keyType: 'EC', keyCurve: 'P256' };
    body.validityPeriod = 'PT1H';
    const reply = await api('POST', '/outagedetection/v1/certificaterequests', body);
    expect(reply.status, JSON.stringify(reply.json)).toBe(201);
    const request = (reply.json.certificateRequests as { status: string; certificateIds: string[] }[])[0]!;
    expect(request.status).toBe('ISSUED');
    return request.certificateIds[0]!;
  };
  const servedSerial = (): string | undefined => {
    const s = spawnSync('openssl', ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', 'site.automation.test'], { input: '', encoding: 'utf8', timeout: 10_000 });
    const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(s.stdout)?.[0];
    if (!pem) return undefined;
    return /serial=([0-9A-F]+)/i.exec(execFileSync('openssl', ['x509', '-noout', '-serial'], { input: pem, encoding: 'utf8' }))?.[1]?.toUpperCase();
  };
  /** nginx -s reload only signals: the master rereads the files a moment later. */
  const servedSoon = async (serial: string) => {
    let served = servedSerial();
    for (let i = 0; i < 50 && served !== serial; i++) {
      await sleep(100);
      served = servedSerial();
    }
    return served;
  };
  const fileSerial = (path: string) => /serial=([0-9A-F]+)/i.exec(openssl('x509', '-in', path, '-noout', '-serial'))![1]!.toUpperCase();
  /** The certificate file and the key file belong together: the same public key. */
  const consistent = () => openssl('x509', '-in', join(tls, 'site.crt'), '-noout', '-pubkey') === openssl('pkey', '-in', join(tls, 'site.key'), '-pubout');

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'ks-automation-'));
    dataDir = join(work, 'data');
    tls = join(work, 'tls');
    mkdirSync(tls);
    await start();
    const [application] = (await rpc<{ id: string; name: string; certificateIssuingTemplateAliasIdMap: Record<string, string>; description: string }[]>('listApplications', {})).filter((a) => a.name === 'Default');
    const [template] = await rpc<Record<string, unknown>[]>('listIssuingTemplates', {});
    const { id: _id, creationDate: _c, modificationDate: _m, defaultValidityPeriod: _d, ...templateInput } = template!;
    const hour = await rpc<{ id: string }>('saveIssuingTemplate', { ...templateInput, name: 'One hour', validityPeriod: 'PT1H' });
    hourTemplateId = hour.id;
    applicationId = application!.id;
    await rpc('saveApplication', {
      id: application!.id,
      name: application!.name,
      description: application!.description,
      certificateIssuingTemplateAliasIdMap: { ...application!.certificateIssuingTemplateAliasIdMap, Hour: hour.id },
    });

    // nginx already serves the site with a self-made certificate: the satellite takes its files over.
    openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=before.automation.test', '-days', '1', '-keyout', join(tls, 'site.key'), '-out', join(tls, 'site.crt'));
    writeFileSync(join(tls, 'chain.pem'), '');
    port = await freePort();
    nginxDir = join(work, 'nginx');
    mkdirSync(nginxDir);
    nginxConf = join(nginxDir, 'nginx.conf');
    writeFileSync(
      nginxConf,
      `daemon off; worker_processes 1; pid ${nginxDir}/nginx.pid; error_log ${nginxDir}/error.log;
events {}
http {
  access_log off; client_body_temp_path ${nginxDir}; proxy_temp_path ${nginxDir}; fastcgi_temp_path ${nginxDir}; uwsgi_temp_path ${nginxDir}; scgi_temp_path ${nginxDir};
  server { listen 127.0.0.1:${port} ssl; ssl_certificate ${join(tls, 'site.crt')}; ssl_certificate_key ${join(tls, 'site.key')};
    location / { default_type text/plain; return 200 "served by nginx\\n"; } }
}
`,
    );
    // Its own process group: the master and the workers it forks (and forks again at each reload) end together.
    nginx = spawn('nginx', ['-c', nginxConf, '-p', nginxDir], { stdio: 'ignore', detached: true });
    for (let i = 0; i < 50 && !servedSerial(); i++) await sleep(100);
  }, 240_000);

  afterAll(async () => {
    // The whole group: a SIGKILL to the master alone leaves its worker serving the port, orphaned.
    try {
      if (nginx?.pid) process.kill(-nginx.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await sat?.kill('SIGKILL');
    if (work) rmSync(work, { recursive: true, force: true });
  });

  let siteId: string;
  const reload = () => `nginx -c ${nginxConf} -p ${nginxDir} -s reload`;
  const pemInstallation = (extra: Record<string, unknown> = {}) => ({
    format: 'PEM',
    file: join(tls, 'site.crt'),
    chainFile: join(tls, 'chain.pem'),
    keyFile: join(tls, 'site.key'),
    fullChainInFile: true,
    unencryptedKey: true,
    afterInstallAction: reload(),
    ...extra,
  });

  it('installs a one-hour certificate for nginx, and the scheduler renews, installs and reloads it with no call within 3 minutes', async () => {
    const before = servedSerial();
    expect(before).toBeDefined();
    const certificateId = await issueHourCertificate('site.automation.test');
    const saved = await api('POST', '/v1/automations', { certificateId, name: 'site', renewBefore: '58m', setEnvVars: ['serial'], installations: [pemInstallation()] });
    expect(saved.status, JSON.stringify(saved.json)).toBe(201);
    const automation = saved.json as unknown as AutomationDetail;
    siteId = automation.id;
    expect(automation.lastResult?.ok, JSON.stringify(automation.history)).toBe(true);
    const first = fileSerial(join(tls, 'site.crt'));
    expect(await servedSoon(first)).toBe(first);
    expect(first).not.toBe(before);
    expect(consistent()).toBe(true);
    // The key file keeps the mode the file it replaced had (openssl writes 0600).
    expect(execFileSync('stat', ['-L', '-c', '%a', join(tls, 'site.key')], { encoding: 'utf8' }).trim()).toBe('600');
    // The afterInstallAction ran with the certificate's serial in its environment, and its outcome is recorded.
    const action = automation.history.find((e) => e.step === 'afterInstallAction')!;
    expect(action).toMatchObject({ ok: true, exitCode: 0, command: reload() });
    expect(automation.nextRenewalAt).toBeDefined();
    expect(automation.nextRenewalReason).toContain('58m');

    // Nothing is called from here on: the scheduler alone renews at notAfter - 58m.
    const started = Date.now();
    let served = first;
    while (Date.now() - started < 180_000 && served === first) {
      await sleep(3000);
      served = servedSerial() ?? first;
    }
    expect(served, 'openssl s_client still sees the first serial after 3 minutes').not.toBe(first);
    const after = (await api('GET', `/v1/automations/${siteId}`)).json as unknown as AutomationDetail;
    expect(after.certificateId).not.toBe(certificateId);
    expect(served).toBe(fileSerial(join(tls, 'site.crt')));
    expect(after.history.some((e) => e.step === 'renew' && e.ok)).toBe(true);
    expect(consistent()).toBe(true);
  }, 300_000);

  it(`leaves nginx's files one certificate and its own key through ${KILLS} SIGKILLs during renewals and installs`, async () => {
    const seen = new Set<string>();
    let midInstall = 0;
    /** Read from the inventory while the satellite is dead: a renewed certificate whose install had not finished. */
    const killedMidInstall = () => {
      const db = new DatabaseSync(join(dataDir, INVENTORY_FILE));
      try {
        const row = db.prepare('SELECT record FROM automations WHERE id = ?').get(siteId) as { record: string };
        const record = JSON.parse(row.record) as { certificateId: string; installedCertificateId?: string };
        return record.installedCertificateId !== record.certificateId;
      } finally {
        db.close();
      }
    };
    for (let kill = 0; kill < KILLS; kill++) {
      // Renewals and installs back to back; the kill lands at a random point among them.
      const runs = Array.from({ length: 4 }, () => api('POST', `/v1/automations/${siteId}/run`, { renew: true }).catch(() => undefined));
      await sleep(Math.floor(Math.random() * 600));
      sat.child.kill('SIGKILL');
      await sat.exited;
      await Promise.all(runs);
      expect(consistent(), `after kill ${kill + 1}: site.crt and site.key do not belong together`).toBe(true);
      seen.add(fileSerial(join(tls, 'site.crt')));
      if (killedMidInstall()) midInstall++;
      await start();
    }
    // The kills landed at different points: the files changed between them, and some kills fell
    // between a renewal and the end of its install (the record says the new certificate is not in place yet).
    expect(seen.size).toBeGreaterThan(5);
    expect(midInstall, 'no kill landed between a renewal and the end of its install').toBeGreaterThan(0);
    // After the last restart the scheduler finishes whatever install a kill interrupted, and nginx serves it.
    let automation = (await api('GET', `/v1/automations/${siteId}`)).json as unknown as AutomationDetail;
    for (let i = 0; i < 30 && automation.installedCertificateId !== automation.certificateId; i++) {
      await sleep(1000);
      automation = (await api('GET', `/v1/automations/${siteId}`)).json as unknown as AutomationDetail;
    }
    expect(automation.installedCertificateId).toBe(automation.certificateId);
    expect(consistent()).toBe(true);
    const now = fileSerial(join(tls, 'site.crt'));
    expect(now).toBe((await api('GET', `/outagedetection/v1/certificates/${automation.certificateId}`)).json.serialNumber);
    expect(await servedSoon(now)).toBe(now);
  }, 600_000);

  it('puts the previous files back when the validation fails, and shows the failure with its output', async () => {
    const before = fileSerial(join(tls, 'site.crt'));
    const current = (await api('GET', `/v1/automations/${siteId}`)).json as unknown as AutomationDetail;
    const failing = await api('PUT', `/v1/automations/${siteId}`, {
      certificateId: current.certificateId,
      name: 'site',
      renewBefore: '58m',
      installations: [pemInstallation({ installValidationAction: 'echo "validation refused serial $KEYPAIR_SERIAL" >&2; exit 3' })],
    });
    // The first install of the changed automation is validated too: it fails and restores.
    expect(failing.status).toBe(200);
    const renewed = (await api('POST', `/v1/automations/${siteId}/run`, { renew: true })).json as unknown as AutomationDetail;
    expect(renewed.lastResult?.ok).toBe(false);
    expect(renewed.lastResult?.message).toContain('installValidationAction exited with 3');
    expect(renewed.lastResult?.message).toContain('the previous files are back in place');
    const validation = renewed.history.find((e) => e.step === 'installValidationAction')!;
    expect(validation).toMatchObject({ ok: false, exitCode: 3 });
    expect(validation.output).toContain('validation refused serial');
    expect(renewed.history.find((e) => e.step === 'restore')?.ok).toBe(true);
    expect(renewed.failures).toBeGreaterThan(0);
    expect(renewed.nextAttemptAt).toBeDefined();
    // The certificate the validation refused is not what nginx has: the earlier one is, whole.
    expect(fileSerial(join(tls, 'site.crt'))).toBe(before);
    expect(await servedSoon(before)).toBe(before);
    expect(consistent()).toBe(true);
    const status = await rpc<{ automation: { failing: { id: string; message: string }[] } }>('getServicesStatus', {});
    expect(status.automation.failing.map((f) => f.id)).toContain(siteId);
    // Put it right for the suites after: no validation.
    const fixed = (await api('PUT', `/v1/automations/${siteId}`, { certificateId: renewed.certificateId, name: 'site', renewBefore: '58m', installations: [pemInstallation()] })).json as unknown as AutomationDetail;
    expect(fixed.lastResult?.ok).toBe(true);
  }, 120_000);

  it('writes PKCS#12 (Modern and Compatible) and JKS targets that openssl and keytool open after each renewal', async () => {
    const stores = join(work, 'stores');
    mkdirSync(stores);
    const certificateId = await issueHourCertificate('java.automation.test');
    const saved = await api('POST', '/v1/automations', {
      certificateId,
      name: 'java app',
      renewBefore: '50%',
      installations: [
        { format: 'PKCS12', file: join(stores, 'modern.p12'), keyPassword: 'p12 password 0123' },
        { format: 'PKCS12', file: join(stores, 'legacy.p12'), keyPassword: 'p12 password 0123', useLegacyP12: true },
        { format: 'JKS', file: join(stores, 'app.jks'), jksAlias: 'app', jksPassword: 'changeit', backupFiles: true },
      ],
    });
    expect(saved.status, JSON.stringify(saved.json)).toBe(201);
    let automation = saved.json as unknown as AutomationDetail;
    for (let round = 0; round < 3; round++) {
      if (round > 0) automation = (await api('POST', `/v1/automations/${automation.id}/run`, { renew: true })).json as unknown as AutomationDetail;
      expect(automation.lastResult?.ok, JSON.stringify(automation.history.slice(0, 4))).toBe(true);
      const serial = (await api('GET', `/outagedetection/v1/certificates/${automation.certificateId}`)).json.serialNumber as string;
      const fromP12 = openssl('pkcs12', '-in', join(stores, 'modern.p12'), '-passin', 'pass:p12 password 0123', '-nokeys', '-clcerts');
      expect(/serial=([0-9A-F]+)/i.exec(execFileSync('openssl', ['x509', '-noout', '-serial'], { input: fromP12, encoding: 'utf8' }))![1]!.toUpperCase()).toBe(serial);
      for (const [file, pass] of [['legacy.p12', 'p12 password 0123'], ['app.jks', 'changeit']] as const) {
        const listing = execFileSync('keytool', ['-list', '-v', '-keystore', join(stores, file), '-storepass', pass], { encoding: 'utf8' });
        expect(listing).toContain('PrivateKeyEntry');
        expect(listing.replace(/:/g, '').toUpperCase()).toContain(serial.replace(/^0+/, ''));
      }
    }
    // backupFiles: the JKS it replaced is beside it.
    expect(readFileSync(join(stores, 'app.jks.bak')).length).toBeGreaterThan(0);
  }, 180_000);
});
