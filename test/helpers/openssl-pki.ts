import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Key types the export suites prove, plus Ed448 for the "format cannot hold it" cases. */
export const PKI_KEY_TYPES = ['RSA', 'EC P-256', 'EC P-384', 'EC P-521', 'Ed25519'] as const;
export type PkiKeyType = (typeof PKI_KEY_TYPES)[number] | 'Ed448';

const GENPKEY_ARGS: Record<PkiKeyType, string[]> = {
  RSA: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
  'EC P-256': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  'EC P-384': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  'EC P-521': ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521'],
  Ed25519: ['-algorithm', 'ed25519'],
  Ed448: ['-algorithm', 'ed448'],
};

/** A root -> intermediate -> end-entity chain made by the openssl CLI, and the EE key. */
export interface OpensslPki {
  keyType: PkiKeyType;
  commonName: string;
  /** DER PrivateKeyInfo of the end-entity key (a fresh copy each call: exports wipe it). */
  pkcs8(): Uint8Array;
  certificatePem: string;
  /** Intermediate, then root. */
  chainPems: string[];
  /** Files, for running openssl and keytool on them. */
  paths: { eeKey: string; eeCert: string; intermediate: string; root: string };
}

const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });

/**
 * Builds the chain in `dir` (the caller owns and removes it). The CAs use EC P-256 keys so
 * the chain is quick to make whatever the end-entity key type; CA and EE extensions are
 * the ones real issuers set, so keytool and openssl see an ordinary chain.
 */
export function makeOpensslPki(dir: string, keyType: PkiKeyType, commonName = '*.example.com'): OpensslPki {
  const p = (name: string) => join(dir, name);
  const ext = p('ext.cnf');
  writeFileSync(
    ext,
    [
      '[ca]',
      'basicConstraints = critical, CA:TRUE',
      'keyUsage = critical, keyCertSign, cRLSign',
      'subjectKeyIdentifier = hash',
      'authorityKeyIdentifier = keyid',
      '[ee]',
      'basicConstraints = critical, CA:FALSE',
      `keyUsage = critical, digitalSignature${keyType === 'RSA' ? ', keyEncipherment' : ''}`,
      'extendedKeyUsage = serverAuth, clientAuth',
      `subjectAltName = DNS:${commonName}`,
      'subjectKeyIdentifier = hash',
      'authorityKeyIdentifier = keyid',
      '',
    ].join('\n'),
  );
  for (const ca of ['root', 'int']) openssl(['genpkey', ...GENPKEY_ARGS['EC P-256'], '-out', p(`${ca}.key`)]);
  openssl(['genpkey', ...GENPKEY_ARGS[keyType], '-out', p('ee.key')]);

  openssl(['req', '-x509', '-new', '-key', p('root.key'), '-subj', '/O=Keypair Satellite Tests/CN=Test Root CA', '-days', '30', '-sha256',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', p('root.pem')]);
  const sign = (name: string, subject: string, issuer: string, section: string) => {
    openssl(['req', '-new', '-key', p(`${name}.key`), '-subj', subject, '-out', p(`${name}.csr`)]);
    openssl(['x509', '-req', '-in', p(`${name}.csr`), '-CA', p(`${issuer}.pem`), '-CAkey', p(`${issuer}.key`), '-CAserial', p('serial'), '-CAcreateserial',
      '-days', '30', '-sha256', '-extfile', ext, '-extensions', section, '-out', p(`${name}.pem`)]);
  };
  sign('int', '/O=Keypair Satellite Tests/CN=Test Intermediate CA', 'root', 'ca');
  sign('ee', `/CN=${commonName}`, 'int', 'ee');
  // openssl 3.0 `pkey -outform DER` writes RSA keys in the traditional format; pkcs8 -topk8 always writes PKCS#8.
  openssl(['pkcs8', '-topk8', '-nocrypt', '-in', p('ee.key'), '-outform', 'DER', '-out', p('ee.p8.der')]);

  const pkcs8Der = readFileSync(p('ee.p8.der'));
  return {
    keyType,
    commonName,
    pkcs8: () => new Uint8Array(pkcs8Der),
    certificatePem: readFileSync(p('ee.pem'), 'utf8'),
    chainPems: [readFileSync(p('int.pem'), 'utf8'), readFileSync(p('root.pem'), 'utf8')],
    paths: { eeKey: p('ee.key'), eeCert: p('ee.pem'), intermediate: p('int.pem'), root: p('root.pem') },
  };
}

/** One chain per key type, in sub-directories of `dir`. */
export function makeOpensslPkis(dir: string, keyTypes: readonly PkiKeyType[] = PKI_KEY_TYPES): Map<PkiKeyType, OpensslPki> {
  const out = new Map<PkiKeyType, OpensslPki>();
  for (const keyType of keyTypes) {
    const sub = join(dir, keyType.replace(/[^A-Za-z0-9]/g, ''));
    mkdirSync(sub);
    out.set(keyType, makeOpensslPki(sub, keyType));
  }
  return out;
}

export interface ToolResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs a real tool without a shell (passphrases with spaces stay one argument); never throws on exit status. */
export function runTool(command: string, args: string[], input?: string | Uint8Array): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { timeout: 60_000, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      const status = error && typeof error.code === 'number' ? error.code : error ? -1 : 0;
      if (error && status === -1 && !stderr) reject(error);
      else resolve({ status, stdout, stderr });
    });
    // A tool that exits without reading all its input must not crash the test run.
    child.stdin?.on('error', () => {});
    if (input !== undefined) child.stdin?.end(input);
    else child.stdin?.end();
  });
}

/** The SPKI PEM openssl prints for a certificate: what every extracted key must equal. */
export async function certificatePublicKeyPem(certPath: string): Promise<string> {
  const r = await runTool('openssl', ['x509', '-in', certPath, '-pubkey', '-noout']);
  if (r.status !== 0) throw new Error(`openssl x509 -pubkey failed: ${r.stderr}`);
  return r.stdout;
}

/** keytool with JVM flags for a quick start: most of a keytool call is JVM start-up. */
export function runKeytool(args: string[]): Promise<ToolResult> {
  return runTool('keytool', ['-J-XX:TieredStopAtLevel=1', '-J-XX:+UseSerialGC', ...args]);
}
