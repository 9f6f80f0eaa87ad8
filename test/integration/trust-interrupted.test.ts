import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TRUST_RECORD_FILE, TrustService } from '../../src/main/core/trust/trust-service';
import { trustNickname, trustTargetsWith } from '../../src/main/core/trust/trust-stores';
import { makeThrowawayTrustStores, type ThrowawayTrustStores } from '../helpers/throwaway-trust-stores';
import { describeWithTools, TOOLS } from '../helpers/tools';

// "Trust on this computer" killed half-way: every store goes on record as pending before it is
// changed, so a root added just before the kill is still found and removed by "Stop trusting",
// and a store the install never reached is reported as not holding it, not as a failure. The
// stores are throwaway copies; certutil is the real one, run through a wrapper that, after adding
// the root, waits to be killed (the moment between a store changed and the record made final).

const REPO = resolve(__dirname, '../..');
const CERTUTIL = { command: 'certutil', install: 'apt-get install libnss3-tools' };
const UPDATE_CA = { command: 'update-ca-certificates', install: 'apt-get install ca-certificates' };

describeWithTools([TOOLS.openssl, TOOLS.keytool, CERTUTIL, UPDATE_CA])('trusting the root, killed half-way', () => {
  let work: string;
  let stores: ThrowawayTrustStores;
  let rootPem: string;
  const dataDir = () => join(work, 'data');
  const nssDb = () => join(stores.home, '.pki', 'nssdb');
  const nssList = () => execFileSync('certutil', ['-L', '-d', `sql:${nssDb()}`], { encoding: 'utf8' });
  const trust = () => new TrustService(dataDir(), trustTargetsWith({ home: stores.home, systemRoot: stores.sysroot, javaCacerts: stores.cacerts }));

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'ks-trust-kill-'));
    mkdirSync(join(work, 'data'));
    stores = makeThrowawayTrustStores(work);
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(work, 'root.key'), '-out', join(work, 'root.pem'), '-subj', '/CN=Interrupted Root', '-days', '2', '-addext', 'basicConstraints=critical,CA:TRUE'], { stdio: 'ignore' });
    rootPem = readFileSync(join(work, 'root.pem'), 'utf8');
  }, 120_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('a kill after certutil added the root leaves it pending on record, not shown as trusted; "Stop trusting" removes it and the system copy', async () => {
    const bin = join(work, 'bin');
    mkdirSync(bin);
    const real = execFileSync('sh', ['-c', 'command -v certutil'], { encoding: 'utf8' }).trim();
    const added = join(work, 'added');
    writeFileSync(join(bin, 'certutil'), `#!/bin/sh\n"${real}" "$@"; status=$?\nif [ "$1" = "-A" ]; then touch "${added}"; sleep 60; fi\nexit $status\n`);
    chmodSync(join(bin, 'certutil'), 0o755);
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'test/helpers/trust-install-worker.ts'), dataDir(), stores.home, stores.sysroot, stores.cacerts, join(work, 'root.pem')], {
      cwd: REPO,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise((r) => child.once('exit', r));
    for (let i = 0; i < 300 && !existsSync(added); i++) await new Promise((r) => setTimeout(r, 100));
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
    expect(existsSync(added), output).toBe(true);
    expect(output).not.toContain('DONE');

    // What the kill left: the root in NSS and in the system bundle, both pending on record.
    const nickname = trustNickname(rootPem);
    expect(nssList()).toContain(nickname);
    const body = rootPem.split('\n').filter((l) => l && !l.startsWith('-----')).join('\n');
    expect(readFileSync(stores.bundle, 'utf8')).toContain(body);
    const record = JSON.parse(readFileSync(join(dataDir(), TRUST_RECORD_FILE), 'utf8')) as { nss: string[]; system?: string; pending?: { nss: string[]; system?: string; java?: string } };
    expect(record.nss).toEqual([]);
    expect(record.pending?.nss).toEqual([nssDb()]);
    expect(record.pending?.system).toMatch(/usr\/local\/share\/ca-certificates\/.*\.crt$/);
    expect(record.pending?.java).toBeUndefined();
    expect(trust().trustedIn()).toEqual([]);

    const { steps, trustedIn } = await trust().uninstall();
    expect(steps.map((s) => `${s.store} ${s.outcome} ${s.detail}`)).toEqual(['system done removed, and the bundle rebuilt.', 'nss done removed.']);
    expect(trustedIn).toEqual([]);
    expect(nssList()).not.toContain(nickname);
    expect(readFileSync(stores.bundle, 'utf8')).not.toContain(body);
  }, 120_000);

  it('a store on record that never got the root is reported as not holding it, and leaves the record', async () => {
    const nickname = trustNickname(rootPem);
    writeFileSync(join(dataDir(), TRUST_RECORD_FILE), JSON.stringify({ nickname, nss: [], pending: { nss: [nssDb()], java: stores.cacerts } }));
    const { steps, trustedIn } = await trust().uninstall();
    expect(steps.map((s) => `${s.store} ${s.outcome} ${s.detail}`)).toEqual(['nss done it was not there (an install stopped before adding it).', 'java done it was not there (an install stopped before adding it).']);
    expect(trustedIn).toEqual([]);
    expect(JSON.parse(readFileSync(join(dataDir(), TRUST_RECORD_FILE), 'utf8'))).toEqual({ nickname, nss: [] });
  });

  it('an install after an interrupted one confirms what it reaches and keeps the rest pending', async () => {
    const nickname = trustNickname(rootPem);
    const elsewhere = join(work, 'home-gone', '.pki', 'nssdb');
    writeFileSync(join(dataDir(), TRUST_RECORD_FILE), JSON.stringify({ nickname, nss: [], pending: { nss: [nssDb(), elsewhere] } }));
    const { steps, trustedIn } = await trust().install(rootPem);
    expect(steps.map((s) => `${s.store} ${s.outcome}`)).toEqual(['system done', 'nss done', 'java done']);
    expect(trustedIn).toEqual([expect.stringMatching(/^system store: /), `NSS: ${nssDb()}`, `Java: ${stores.cacerts}`]);
    const record = JSON.parse(readFileSync(join(dataDir(), TRUST_RECORD_FILE), 'utf8')) as { nss: string[]; pending?: { nss: string[] } };
    expect(record.nss).toEqual([nssDb()]);
    expect(record.pending?.nss).toEqual([elsewhere]);
    await trust().uninstall();
    expect(nssList()).not.toContain(nickname);
  });
});
