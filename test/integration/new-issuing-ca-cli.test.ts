import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSatelliteServer, type SatelliteServer } from '../helpers/satellite-server';
import { certificateChainPems, cloudCall, requestCertificateFor } from '../helpers/cloud-fetch';
import { describeWithTools, TOOLS } from '../helpers/tools';

// `npm run serve -- --new-issuing-ca --ca-permitted-dns D` on the data directory of a satellite that
// made certificates with its unconstrained CA: the root signs a constrained issuing CA, the next
// start issues from it (names outside are refused before any key is made), its CRL and certificate
// are served at URLs of their own, and what the old issuing CA issued still verifies and is still
// served its CRL. While a satellite runs on the directory the command is refused.

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const JAVA = { command: 'java', install: 'apt-get install default-jdk-headless' };
/** Java's PKIX validation with revocation from the CDPs' CRLs or the leaf's OCSP responder (test/helpers/java). */
const JAVA_VALIDATOR = fileURLToPath(new URL('../helpers/java/ValidateWithRevocation.java', import.meta.url));

describeWithTools([TOOLS.openssl, JAVA])('--new-issuing-ca (the headless satellite, run as users run it)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ks-new-issuing-cli-'));
  const work = mkdtempSync(join(tmpdir(), 'ks-new-issuing-cli-work-'));
  const apiKey = `ks_${randomBytes(24).toString('base64url')}`;
  const dekPassphrase = randomBytes(18).toString('base64url');
  let server: SatelliteServer | undefined;
  const file = (name: string) => join(work, name);
  const openssl = (...args: string[]) => spawnSync('openssl', args, { cwd: work, encoding: 'utf8', timeout: 60_000 });

  const command = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'src/main/api/cli.ts'), '--data-dir', dataDir, '--dek-store', 'file', '--no-pki', ...args], {
      cwd: REPO,
      env: { ...process.env, SATELLITE_DEK_PASSPHRASE: dekPassphrase, SATELLITE_API_KEY: apiKey },
      encoding: 'utf8',
      timeout: 120_000,
    });
  const start = () => startSatelliteServer({ dataDir, apiKey, dekPassphrase });
  const reachable = () => ({ url: server!.url, apiKey });
  const request = (cn: string) => requestCertificateFor(reachable(), cn);
  const chain = (id: string) => certificateChainPems(reachable(), id);

  beforeAll(async () => {
    server = await start();
    const issued = await request('www.example.com');
    expect(issued.json.certificateRequests?.[0]?.status).toBe('ISSUED');
    const [leaf, intermediate, root] = await chain(issued.json.certificateRequests![0]!.certificateIds[0]!);
    writeFileSync(file('old-leaf.pem'), leaf!);
    writeFileSync(file('g1.pem'), intermediate!);
    writeFileSync(file('root.pem'), root!);
  }, 180_000);
  afterAll(async () => {
    await server?.kill();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('is refused while the satellite runs on the data directory, and changes nothing', () => {
    const refused = command('--new-issuing-ca', '--ca-permitted-dns', 'internal.example.test');
    expect(refused.status, refused.stdout + refused.stderr).not.toBe(0);
    expect(refused.stderr).toMatch(/satellite\.lock|is in use|held by/i);
  });

  it('with the satellite stopped: the root signs a constrained issuing CA, and the command says what it did', async () => {
    await server!.kill();
    server = undefined;
    const bad = command('--new-issuing-ca', '--ca-permitted-dns', 'not a name');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/--ca-permitted-dns\/--ca-permitted-ip: permitted DNS name "not a name" is not a DNS name/);

    const done = command('--new-issuing-ca', '--ca-permitted-dns', 'internal.example.test');
    expect(done.status, done.stdout + done.stderr).toBe(0);
    expect(done.stdout).toMatch(/New issuing CA: CN=Keypair Satellite Issuing CA [0-9A-F]{8} G2, O=Keypair Satellite, name constraints: DNS internal\.example\.test; IP none/);
    expect(done.stdout).toMatch(/under the same root \(SHA-256 [0-9A-F:]+\): nothing new to trust/);
    expect(done.stdout).toMatch(/Replaced: CN=Keypair Satellite Issuing CA [0-9A-F]{8}, O=Keypair Satellite issues nothing more; it still answers CRL and OCSP for what it issued/);
  });

  it('after a DEK rotation (which rewraps its key with every other), the next start issues from it: a name inside is issued and verifies to the same root, one outside is refused before any key is made', async () => {
    const rotated = command('--rotate-dek');
    expect(rotated.status, rotated.stdout + rotated.stderr).toBe(0);
    expect(rotated.stdout).toMatch(/DEK rotated/);
    server = await start();
    const inside = await request('web.internal.example.test');
    expect(inside.json.certificateRequests?.[0]?.status, JSON.stringify(inside.json)).toBe('ISSUED');
    const [leaf, intermediate, root] = await chain(inside.json.certificateRequests![0]!.certificateIds[0]!);
    writeFileSync(file('new-leaf.pem'), leaf!);
    writeFileSync(file('g2.pem'), intermediate!);
    expect(root).toBe(readFileSync(file('root.pem'), 'utf8'));
    const verify = openssl('verify', '-CAfile', 'root.pem', '-untrusted', 'g2.pem', 'new-leaf.pem');
    expect(verify.stdout).toMatch(/new-leaf\.pem: OK/);
    expect(openssl('x509', '-in', 'g2.pem', '-noout', '-text').stdout).toMatch(/X509v3 Name Constraints: critical\s+Permitted:\s+DNS:internal\.example\.test/);

    const outside = await request('www.example.org');
    expect(outside.status).toBe(400);
    expect(JSON.stringify(outside.json)).toMatch(/outside the built-in CA's name constraints \(DNS internal\.example\.test; IP none\)/);

    // What the old issuing CA issued still verifies to the same root.
    expect(openssl('verify', '-CAfile', 'root.pem', '-untrusted', 'g1.pem', 'old-leaf.pem').stdout).toMatch(/old-leaf\.pem: OK/);
  });

  it('the PKI listener serves each issuing CA\'s CRL and certificate at its own URL, and the one the certificates name', async () => {
    const pki = server!.pkiUrl!;
    for (const [path, type] of [
      ['/pki/intermediate-g2.crl', 'application/pkix-crl'],
      ['/pki/intermediate-g2.cer', 'application/pkix-cert'],
      ['/pki/intermediate.crl', 'application/pkix-crl'],
      ['/pki/intermediate.cer', 'application/pkix-cert'],
    ] as const) {
      const res = await fetch(`${pki}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toBe(type);
      writeFileSync(file(path.split('/').pop()!), Buffer.from(await res.arrayBuffer()));
    }
    expect(openssl('crl', '-inform', 'DER', '-in', 'intermediate-g2.crl', '-noout', '-issuer').stdout).toMatch(/Issuing CA [0-9A-F]{8} G2/);
    expect(openssl('crl', '-inform', 'DER', '-in', 'intermediate.crl', '-noout', '-issuer').stdout).not.toMatch(/G2/);
    expect(openssl('x509', '-inform', 'DER', '-in', 'intermediate.cer', '-noout', '-fingerprint').stdout).toBe(openssl('x509', '-in', 'g1.pem', '-noout', '-fingerprint').stdout);
    expect((await fetch(`${pki}/pki/intermediate-g3.crl`)).status).toBe(404);
    expect((await fetch(`${pki}/pki/intermediate-g1.crl`)).status).toBe(404);
    expect(openssl('x509', '-in', 'new-leaf.pem', '-noout', '-ext', 'crlDistributionPoints').stdout).toContain(`${pki}/pki/intermediate-g2.crl`);
  });

  it('Java\'s PKIX validation accepts a certificate of the new issuing CA, fetching its CRLs (the new one\'s and the root\'s) or asking OCSP, and refuses it once revoked', async () => {
    // Asynchronous, not spawnSync: with the event loop blocked for seconds, fetch's pool never sees
    // the satellite close an idle keep-alive socket, and the next request went out on it ("other side closed").
    const java = (mode: 'crl' | 'ocsp') =>
      new Promise<{ status: number; text: string }>((done) => {
        execFile('java', ['-Dcom.sun.security.enableCRLDP=true', JAVA_VALIDATOR, mode, 'root.pem', 'g2.pem', 'new-leaf.pem'], { cwd: work, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) =>
          done({ status: error ? (typeof error.code === 'number' ? error.code : -1) : 0, text: `${stdout}\n${stderr}` }),
        );
      });
    const fingerprint = openssl('x509', '-in', 'new-leaf.pem', '-noout', '-fingerprint', '-sha1').stdout.split('=')[1]!.trim().replaceAll(':', '');
    for (const mode of ['crl', 'ocsp'] as const) {
      const ok = await java(mode);
      expect(ok.text.trim(), `${mode}: ${ok.text}`).toBe('OK');
    }
    const query = 'mutation RevokeCertificateRequest($fingerprint: ID!, $certificateAuthorityAccountId: UUID, $revocationReason: RevocationReason!, $revocationComment: String) { revokeCertificate(fingerprint: $fingerprint) { id } }';
    const revoked = await cloudCall(reachable(), '/graphql', { operationName: 'RevokeCertificateRequest', query, variables: { fingerprint, revocationReason: 'KEY_COMPROMISE' } });
    expect(revoked.status, JSON.stringify(revoked.json)).toBe(200);
    for (const mode of ['crl', 'ocsp'] as const) {
      const refused = await java(mode);
      expect(refused.status, refused.text).toBe(1);
      expect(refused.text).toMatch(/^REFUSED REVOKED at index 0: Certificate has been revoked, reason: KEY_COMPROMISE/m);
    }
  }, 120_000);
});
