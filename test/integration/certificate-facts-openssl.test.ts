import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { certificateFacts, certificateFactsFromNode } from '../../src/main/core/pki/certificate-facts';
import { fromPem } from '../../src/main/core/pki/pem';
import { certificateBasics, certificateParts, publicKeyFacts } from '../../src/main/core/pki/x509-der';
import { makeOpensslPkis, PKI_KEY_TYPES } from '../helpers/openssl-pki';
import { describeWithTools, TOOLS } from '../helpers/tools';

// The inventory's facts of certificates that openssl made, checked against what openssl itself
// prints (serial, fingerprints, dates), and against Node's X509Certificate for every field. Most
// end-entity certificates are read from the DER alone; CA, v1 and unusual ones go through Node.
// Either way the facts must be the same.

const openssl = (args: string[]) => execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** What `openssl x509` prints, in the inventory's spelling (hex upper case without colons, ISO dates). */
function opensslFacts(path: string): { serialNumber: string; fingerprint: string; sha256Fingerprint: string; validityStart: string; validityEnd: string } {
  const field = (text: string, name: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${name}=`));
    if (!line) throw new Error(`openssl printed no ${name} for ${path}:\n${text}`);
    return line.slice(name.length + 1).trim();
  };
  const hex = (value: string) => value.replaceAll(':', '').toUpperCase();
  const iso = (value: string) => new Date(value.replace(' ', 'T')).toISOString();
  const dates = openssl(['x509', '-in', path, '-noout', '-serial', '-dateopt', 'iso_8601', '-startdate', '-enddate']);
  return {
    serialNumber: field(dates, 'serial'),
    fingerprint: hex(field(openssl(['x509', '-in', path, '-noout', '-fingerprint', '-sha1']), 'sha1 Fingerprint')),
    sha256Fingerprint: hex(field(openssl(['x509', '-in', path, '-noout', '-fingerprint', '-sha256']), 'sha256 Fingerprint')),
    validityStart: iso(field(dates, 'notBefore')),
    validityEnd: iso(field(dates, 'notAfter')),
  };
}

const readFromDerAlone = (pem: string) => {
  try {
    const parts = certificateParts(fromPem(pem, ['CERTIFICATE']));
    certificateBasics(parts);
    publicKeyFacts(parts.bytes, parts.subjectPublicKeyInfo);
    return true;
  } catch {
    return false;
  }
};

describeWithTools([TOOLS.openssl])('certificate facts of certificates openssl made', () => {
  let dir: string;
  const certificates: { label: string; path: string; fromDer: boolean }[] = [];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ks-facts-'));
    for (const [keyType, pki] of makeOpensslPkis(dir)) {
      certificates.push({ label: `${keyType} end entity`, path: pki.paths.eeCert, fromDer: true });
      if (keyType === PKI_KEY_TYPES[0]) {
        certificates.push({ label: 'root CA', path: pki.paths.root, fromDer: false });
        certificates.push({ label: 'intermediate CA', path: pki.paths.intermediate, fromDer: false });
      }
    }
    // Shapes the DER reader leaves to Node, or reads with care: a v1 certificate (no extensions),
    // a secp256k1 key, a validity past 2049 (GeneralizedTime), a pathLen without CA.
    const p = (name: string) => join(dir, name);
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', p('ca.key'), '-out', p('ca.pem'), '-subj', '/CN=Facts CA', '-days', '30']);
    const leaf = (name: string, keyArgs: string[], days: string, extensions: string | undefined) => {
      openssl(['req', '-new', ...keyArgs, '-nodes', '-keyout', p(`${name}.key`), '-out', p(`${name}.csr`), '-subj', `/C=US/O=Acme Ltd/CN=${name}.example`]);
      const extArgs: string[] = [];
      if (extensions) {
        writeFileSync(p(`${name}.cnf`), `${extensions}\n`);
        extArgs.push('-extfile', p(`${name}.cnf`));
      }
      openssl(['x509', '-req', '-in', p(`${name}.csr`), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial', '-CAserial', p('ca.srl'), '-days', days, ...extArgs, '-out', p(`${name}.pem`)]);
      return p(`${name}.pem`);
    };
    certificates.push({ label: 'v1, no extensions', path: leaf('v1', ['-newkey', 'rsa:2048'], '30', undefined), fromDer: false });
    certificates.push({ label: 'secp256k1 key', path: leaf('k1', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:secp256k1'], '30', 'subjectAltName=DNS:k1.example'), fromDer: false });
    certificates.push({ label: 'valid until after 2049', path: leaf('long', ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'], '20000', 'subjectAltName=DNS:long.example,IP:192.0.2.1'), fromDer: true });
    certificates.push({ label: 'pathLen without CA', path: leaf('plen', ['-newkey', 'rsa:2048'], '30', 'basicConstraints=critical,CA:FALSE,pathlen:0'), fromDer: true });
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads the serial, fingerprints and dates openssl prints, and every other fact as Node does', () => {
    expect(certificates.length).toBeGreaterThanOrEqual(11);
    for (const { label, path, fromDer } of certificates) {
      const pem = readFileSync(path, 'utf8');
      const facts = certificateFacts(pem);
      const printed = opensslFacts(path);
      expect({ label, serialNumber: facts.serialNumber, fingerprint: facts.fingerprint, sha256Fingerprint: facts.sha256Fingerprint, validityStart: facts.validityStart, validityEnd: facts.validityEnd }).toEqual({ label, ...printed });
      expect({ label, facts }).toEqual({ label, facts: certificateFactsFromNode(pem) });
      // Which reader took it: the DER alone for the ordinary end-entity shapes, Node for the rest.
      expect({ label, fromDer: readFromDerAlone(pem) }).toEqual({ label, fromDer });
    }
  });
});
