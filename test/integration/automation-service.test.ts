import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rpcInputSchemas } from '../../src/shared/client';
import { makeOpensslPki } from '../helpers/openssl-pki';
import { openTestSatellite, type TestSatellite } from '../helpers/test-satellite';
import { describeWithTools, TOOLS } from '../helpers/tools';

// The automation service in the satellite itself (no HTTP): what it refuses and why, what a save
// does and does not do, retries after a failure, the scheduler catching up on a missed window, and
// what happens to an automation when its certificate is deleted.

describeWithTools([TOOLS.openssl])('automations in the satellite', () => {
  let t: TestSatellite;
  let dir: string;
  const save = (input: unknown) => t.satellite.call('saveAutomation', rpcInputSchemas.saveAutomation.parse(input));
  const pem = (name: string, extra: Record<string, unknown> = {}) => ({
    format: 'PEM',
    file: join(dir, `${name}.crt`),
    chainFile: join(dir, `${name}-chain.pem`),
    keyFile: join(dir, `${name}.key`),
    unencryptedKey: true,
    ...extra,
  });
  const issued = async (cn: string) => (await t.request(cn)).certificateIds[0]!;
  const serialIn = (file: string) => /serial=([0-9A-F]+)/.exec(execFileSync('openssl', ['x509', '-in', file, '-noout', '-serial'], { encoding: 'utf8' }))![1]!;

  beforeAll(async () => {
    t = await openTestSatellite('automation', { automationTickMs: 3_600_000, automationRetryDelaysMs: [50, 100] });
    dir = join(t.work, 'installed');
    mkdirSync(dir);
  });
  afterAll(async () => t?.close());

  it('refuses what it cannot install, naming the field', async () => {
    const a = await save({ certificateId: await issued('one.example.test'), name: 'one', installations: [pem('one')] });
    expect(a.lastResult?.ok).toBe(true);
    const other = await issued('two.example.test');
    await expect(save({ certificateId: other, name: 'one', installations: [pem('two')] })).rejects.toThrow('name "one" is already used by another automation');
    await expect(save({ certificateId: other, name: 'two', installations: [pem('two', { keyFile: join(dir, 'one.key') })] })).rejects.toMatchObject({
      message: `keyFile ${join(dir, 'one.key')} is already written by automation "one": choose another file, or change that automation`,
      args: [{ field: 'installations.0.keyFile' }],
    });
    await expect(save({ certificateId: a.certificateId, name: 'again', installations: [pem('again')] })).rejects.toThrow('is already installed by automation "one"');
    await expect(save({ certificateId: other, name: 'two', installations: [pem('x', { file: join(dir, 'missing', 'x.crt') })] })).resolves.toMatchObject({
      lastResult: { ok: false, message: expect.stringContaining(`the folder ${join(dir, 'missing')} does not exist`) },
    });
  });

  it('retries a failed install after its wait, and installs once the cause is gone', async () => {
    const flag = join(dir, 'allow');
    const a = await save({ certificateId: await issued('retry.example.test'), name: 'retry', installations: [pem('retry', { afterInstallAction: `test -e ${flag}` })] });
    expect(a).toMatchObject({ failures: 1, lastResult: { ok: false } });
    expect(a.lastResult!.message).toMatch(/afterInstallAction exited with 1$/);
    expect(Date.parse(a.nextAttemptAt!)).toBeGreaterThan(Date.now() - 1000);
    // Before its wait is over, a look does nothing.
    const automations = await t.satellite.call('listAutomations', {});
    expect(automations.find((x) => x.id === a.id)?.failures).toBe(1);
    await new Promise((r) => setTimeout(r, 150));
    execFileSync('touch', [flag]);
    const done = await t.satellite.call('runAutomation', { id: a.id, renew: false });
    expect(done).toMatchObject({ failures: 0, installedCertificateId: a.certificateId, lastResult: { ok: true } });
    expect(done.nextAttemptAt).toBeUndefined();
  });

  it('does not install again what is saved unchanged, and Renew and install now installs the new certificate', async () => {
    const marker = join(dir, 'ran');
    const input = { certificateId: await issued('same.example.test'), name: 'same', renewBefore: '50%', installations: [pem('same', { afterInstallAction: `echo x >> ${marker}` })] };
    const first = await save(input);
    expect(readFileSync(marker, 'utf8')).toBe('x\n');
    await save({ ...input, id: first.id });
    expect(readFileSync(marker, 'utf8')).toBe('x\n');
    // A different renewBefore only moves the next renewal.
    const moved = await save({ ...input, id: first.id, renewBefore: '10%' });
    expect(moved.nextRenewalReason).toContain('renewBefore 10%');
    expect(readFileSync(marker, 'utf8')).toBe('x\n');
    const serial = serialIn(join(dir, 'same.crt'));
    const renewed = await t.satellite.call('runAutomation', { id: first.id, renew: true });
    expect(renewed.certificateId).not.toBe(first.certificateId);
    expect(serialIn(join(dir, 'same.crt'))).not.toBe(serial);
    expect(readFileSync(marker, 'utf8')).toBe('x\nx\n');
  });

  it('replaces a revoked certificate at once with a new key, and installs it', async () => {
    const a = await save({ certificateId: await issued('revoked.example.test'), name: 'revoked', installations: [pem('revoked')] });
    const before = serialIn(join(dir, 'revoked.crt'));
    await t.satellite.call('revokeCertificate', { id: a.certificateId, reason: 'keyCompromise' });
    let now = await t.satellite.call('getAutomation', { id: a.id });
    for (let i = 0; i < 50 && now.installedCertificateId === a.certificateId; i++) {
      await new Promise((r) => setTimeout(r, 100));
      now = await t.satellite.call('getAutomation', { id: a.id });
    }
    expect(now.certificateId).not.toBe(a.certificateId);
    expect(now.installedCertificateId).toBe(now.certificateId);
    expect(now.history.some((e) => e.step === 'renew' && e.ok)).toBe(true);
    expect(serialIn(join(dir, 'revoked.crt'))).not.toBe(before);
    const replaced = await t.satellite.call('getCertificate', { id: now.certificateId });
    expect(replaced.certificate.revocationStatus).not.toBe('REVOKED');
  });

  it('installs an imported certificate only with renewal switched off, since no template of this satellite renews it', async () => {
    const made = join(t.work, 'imported');
    mkdirSync(made);
    const pki = makeOpensslPki(made, 'RSA', 'imported.example.test');
    const [application] = await t.satellite.call('listApplications', {});
    const imported = await t.satellite.call('importCertificate', rpcInputSchemas.importCertificate.parse({ applicationId: application!.id, pem: pki.certificatePem + pki.chainPems.join('') + readFileSync(pki.paths.eeKey, 'utf8') }));
    await expect(save({ certificateId: imported.id, name: 'imported', installations: [pem('imported')] })).rejects.toMatchObject({
      message: expect.stringMatching(/cannot be renewed by this satellite \(Imported certificates cannot be renewed here.*\); set renewBefore to disabled to only install it$/),
      args: [{ field: 'renewBefore' }],
    });
    const installed = await save({ certificateId: imported.id, name: 'imported', renewBefore: 'disabled', installations: [pem('imported')] });
    expect(installed).toMatchObject({ lastResult: { ok: true }, nextRenewalReason: expect.stringContaining('disabled') });
    expect(installed.nextRenewalAt).toBeUndefined();
    expect(serialIn(join(dir, 'imported.crt'))).toBe(imported.serialNumber);
  });

  it('stops when its certificate is deleted, leaving the files', async () => {
    const a = await save({ certificateId: await issued('gone.example.test'), name: 'gone', installations: [pem('gone')] });
    await t.satellite.call('deleteCertificate', { id: a.certificateId });
    await expect(t.satellite.call('getAutomation', { id: a.id })).rejects.toThrow(`no automation with id "${a.id}"`);
    expect(existsSync(join(dir, 'gone.crt'))).toBe(true);
  });
});
