import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AutomationDetail } from '../../src/shared/automation';
import { startSatelliteServer, type SatelliteServer } from '../helpers/satellite-server';
import { describeWithTools, TOOLS } from '../helpers/tools';

// Issue 18: the vendor's VCert playbook, run by `npm run serve -- --playbook FILE` with this
// satellite as the CA. The playbook has the shape of the vendor's README (config.connection for
// their cloud, certificateTasks with request, installations, renewBefore, setEnvVars); its tasks
// are issued and installed (openssl and keytool read the files), connection is skipped with a
// note, and a playbook with a key the satellite does not know is refused, naming the key.

const openssl = (...args: string[]) => execFileSync('openssl', args, { encoding: 'utf8' });

function playbook(dir: string, installationKey = 'afterInstallAction'): string {
  return `# The shape of README-PLAYBOOK.md: a cloud connection, then the certificates and where they go.
config:
  connection:
    platform: vaas
    credentials:
      apiKey: '{{ Env "VAAS_APIKEY" }}'
certificateTasks:
  - name: web
    renewBefore: 31d
    setEnvVars: ["thumbprint", "serial"]
    request:
      csr: local
      keyType: ECDSA
      keyCurve: P256
      subject:
        commonName: web.playbook.test
        organization: Example Org
        orgUnits: ["Operations"]
        locality: Salt Lake City
        province: Utah
        country: US
      sanDNS: ["web.playbook.test", "www.playbook.test"]
      zone: "Default\\\\Default"
    installations:
      - format: PEM
        file: "${dir}/web.crt"
        chainFile: "${dir}/web-chain.pem"
        keyFile: "${dir}/web.key"
        ${installationKey}: "echo $VCERT_WEB_SERIAL > ${dir}/after-install.txt"
  - name: java
    request:
      keyPassword: "java key password"
      subject:
        commonName: java.playbook.test
      sanDNS: ["java.playbook.test"]
      zone: "Default\\\\Default"
    installations:
      - format: JKS
        file: "${dir}/java.jks"
        jksAlias: java
        jksPassword: changeit
      - format: PKCS12
        file: "${dir}/java.p12"
        useLegacyP12: true
`;
}

describeWithTools([TOOLS.openssl, TOOLS.keytool])('VCert playbooks', () => {
  let work: string;
  let out: string;
  let sat: SatelliteServer | undefined;
  let dataDir: string;
  const dekPassphrase = 'playbook test dek passphrase';
  const automations = async () => ((await (await fetch(`${sat!.url}/v1/automations`, { headers: { 'tppl-api-key': sat!.apiKey } })).json()) as { automations: AutomationDetail[] }).automations;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'ks-playbook-'));
    out = join(work, 'installed');
    dataDir = join(work, 'data');
    mkdirSync(out);
  });

  afterAll(async () => {
    await sat?.kill('SIGKILL');
    rmSync(work, { recursive: true, force: true });
  });

  it('issues and installs every task of a playbook given with --playbook, and keeps them as automations', async () => {
    const file = join(work, 'playbook.yaml');
    writeFileSync(file, playbook(out));
    sat = await startSatelliteServer({ dataDir, dekPassphrase, extraArgs: ['--playbook', file] });
    const stdout = sat.output().stdout;
    expect(stdout).toContain(`Playbook ${file}: note: config.connection is not needed: this satellite is the CA`);
    expect(stdout).toMatch(/task "web" certificate [0-9a-f-]{36}, installed: certificate [0-9A-F]+ installed in 1 place; next renewal 20/);
    expect(stdout).toMatch(/task "java" certificate [0-9a-f-]{36}, installed: certificate [0-9A-F]+ installed in 2 places/);

    // web: the PEM files belong together, carry the requested names, and chain to the built-in CA.
    expect(openssl('x509', '-in', join(out, 'web.crt'), '-noout', '-pubkey')).toBe(openssl('pkey', '-in', join(out, 'web.key'), '-pubout'));
    expect(openssl('x509', '-in', join(out, 'web.crt'), '-noout', '-ext', 'subjectAltName')).toContain('DNS:web.playbook.test, DNS:www.playbook.test');
    expect(openssl('x509', '-in', join(out, 'web.crt'), '-noout', '-subject')).toContain('O = Example Org, OU = Operations');
    expect(openssl('verify', '-partial_chain', '-CAfile', join(out, 'web-chain.pem'), join(out, 'web.crt')).trim()).toBe(`${join(out, 'web.crt')}: OK`);
    // No keyPassword in the request: VCert writes the PEM key unencrypted, and so does the satellite (mode 0600).
    expect(readFileSync(join(out, 'web.key'), 'utf8')).toContain('-----BEGIN PRIVATE KEY-----');
    expect(execFileSync('stat', ['-L', '-c', '%a', join(out, 'web.key')], { encoding: 'utf8' }).trim()).toBe('600');
    const serial = /serial=([0-9A-F]+)/.exec(openssl('x509', '-in', join(out, 'web.crt'), '-noout', '-serial'))![1]!;
    expect(readFileSync(join(out, 'after-install.txt'), 'utf8').trim()).toBe(serial);

    // java: keytool opens the JKS and the Compatible PKCS#12 with the playbook's passwords.
    expect(execFileSync('keytool', ['-list', '-keystore', join(out, 'java.jks'), '-storepass', 'changeit'], { encoding: 'utf8' })).toMatch(/^java, .*PrivateKeyEntry/m);
    expect(execFileSync('keytool', ['-list', '-keystore', join(out, 'java.p12'), '-storepass', 'java key password'], { encoding: 'utf8' })).toContain('PrivateKeyEntry');

    expect((await automations()).map((a) => [a.name, a.renewBefore, a.source])).toEqual([
      ['web', '31d', { kind: 'playbook', file, task: 'web' }],
      ['java', undefined, { kind: 'playbook', file, task: 'java' }],
    ]);
  }, 180_000);

  it('reads the playbook again at the next start and keeps the certificates it issued', async () => {
    const before = (await automations()).map((a) => a.certificateId);
    rmSync(join(out, 'after-install.txt'));
    await sat!.kill();
    sat = await startSatelliteServer({ dataDir, dekPassphrase, extraArgs: ['--playbook', join(work, 'playbook.yaml')] });
    expect((await automations()).map((a) => a.certificateId)).toEqual(before);
    expect(sat.output().stdout).toContain(`certificate ${before[0]}, installed`);
    // Unchanged, so not installed again: the after-install action (a server's reload) did not run.
    expect(existsSync(join(out, 'after-install.txt'))).toBe(false);
  }, 180_000);

  it('refuses a playbook with a key it does not know, naming the key, over the API and at start', async () => {
    const reply = await fetch(`${sat!.url}/v1/playbooks`, {
      method: 'POST',
      headers: { 'tppl-api-key': sat!.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ yaml: playbook(out, 'afterInstallActon'), fileName: 'typo.yaml' }),
    });
    expect(reply.status).toBe(400);
    const body = (await reply.json()) as { errors: { message: string }[] };
    expect(body.errors[0]!.message).toContain('unknown key "afterInstallActon" at certificateTasks[0].installations[0].afterInstallActon');
    // The same tasks from another file would take over automations another playbook keeps: refused, naming them.
    const clash = await fetch(`${sat!.url}/v1/playbooks`, {
      method: 'POST',
      headers: { 'tppl-api-key': sat!.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ yaml: playbook(out), fileName: '/elsewhere/other.yaml' }),
    });
    expect(clash.status).toBe(400);
    expect(((await clash.json()) as { errors: { message: string }[] }).errors[0]!.message).toMatch(/certificateTasks\[0\]\.name "web" is already the name of automation [0-9a-f-]{36} \(from .*playbook\.yaml\)/);
    // Nothing of either was imported.
    expect(await automations()).toHaveLength(2);
    await sat!.kill();
    sat = undefined;

    const file = join(work, 'typo.yaml');
    writeFileSync(file, playbook(out, 'afterInstallActon'));
    const failed = await startSatelliteServer({ extraArgs: ['--playbook', file] }).then(
      async (s) => {
        await s.kill();
        return 'started';
      },
      (error: Error) => error.message,
    );
    expect(failed).toContain(`--playbook ${file}: the playbook cannot be used: unknown key "afterInstallActon" at certificateTasks[0].installations[0].afterInstallActon`);
  }, 180_000);
});
