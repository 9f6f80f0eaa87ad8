import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { AuthorityKeyIdentifierExtension, X509CertificateGenerator } from '@peculiar/x509';
import * as acme from 'acme-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaError, type IssueRequest } from '../connector';
import type { IssuingTemplate } from '../../../../shared/settings';
import { standInAcmeConnector } from './acme-connector.testkit';
import { ariCertId } from './renewal-info';
import { csrNames } from '../../pki/csr-reader';

// Debian's pebble 2.4 has no ACME Renewal Information, so these use a small stand-in
// directory on 127.0.0.1 that offers renewalInfo (RFC 9773) and points newNonce at a closed port.

async function certificate(serialNumber: string, akiHex: string): Promise<string> {
  const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await X509CertificateGenerator.createSelfSigned({ serialNumber, name: 'CN=ari.example.test', keys, extensions: [new AuthorityKeyIdentifierExtension(akiHex)] }, webcrypto as Crypto);
  return cert.toString('pem');
}


describe('ACME Renewal Information', () => {
  it('names a certificate as RFC 9773 section 4.1 does (its own example)', async () => {
    const pem = await certificate('87654321', '69885b6b87464041e1b37b847ba0ae2cde01c8d4');
    expect(ariCertId(pem)).toBe('aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE');
  });

  it('keeps a serial without the top bit as it is', async () => {
    const pem = await certificate('0a0b', '0102');
    expect(ariCertId(pem)).toBe(`${Buffer.from([1, 2]).toString('base64url')}.${Buffer.from([0x0a, 0x0b]).toString('base64url')}`);
  });
});

describe('AcmeConnector against a stand-in directory', () => {
  let server: Server;
  let base: string;
  let closedUrl: string;
  const asked: string[] = [];

  beforeAll(async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    closedUrl = `http://127.0.0.1:${(closed.address() as { port: number }).port}`;
    await new Promise<void>((r) => closed.close(() => r()));

    server = createServer((req, res) => {
      asked.push(req.url ?? '');
      if (req.url === '/dir') {
        return res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({ newNonce: `${closedUrl}/nonce`, newAccount: `${closedUrl}/account`, newOrder: `${closedUrl}/order`, renewalInfo: `${base}/renewal-info` }),
        );
      }
      if (req.url?.startsWith('/renewal-info/')) {
        return res.writeHead(200, { 'content-type': 'application/json', 'retry-after': '21600' }).end(
          JSON.stringify({ suggestedWindow: { start: '2027-01-01T00:00:00Z', end: '2027-01-03T00:00:00Z' }, explanationURL: 'https://ca.example.test/why' }),
        );
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });

  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  const connector = () => standInAcmeConnector(`${base}/dir`);

  it('asks renewalInfo for the certificate and returns the suggested window', async () => {
    const pem = await certificate('87654321', '69885b6b87464041e1b37b847ba0ae2cde01c8d4');
    const window = await connector().renewalWindow(pem);
    expect(asked).toContain('/renewal-info/aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE');
    expect(window?.start.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(window?.end.toISOString()).toBe('2027-01-03T00:00:00.000Z');
    expect(window?.explanationUrl).toBe('https://ca.example.test/why');
    expect(window?.retryAfter!.getTime()).toBeGreaterThan(Date.now() + 6 * 3600_000 - 60_000);
  });

  it("asks the CA again only after its Retry-After", async () => {
    const pem = await certificate('0c0d', '0a0b');
    const once = connector();
    const before = asked.filter((u) => u.startsWith('/renewal-info/')).length;
    const [first, second] = [await once.renewalWindow(pem), await once.renewalWindow(pem)];
    expect(second).toEqual(first);
    expect(asked.filter((u) => u.startsWith('/renewal-info/')).length).toBe(before + 1);
  });

  it('reports "offers Renewal Information" in health', async () => {
    expect((await connector().health()).message).toContain('offers Renewal Information');
  });

  it('turns a connection failure inside acme-client into a retryable CaError naming the URL', async () => {
    const [, csr] = await acme.crypto.createCsr({ commonName: 'unreachable.example.test' });
    const request: IssueRequest = { requestId: 'r1', csrPem: csr.toString(), validitySeconds: 86400, extendedKeyUsages: ['SERVER_AUTH'], template: {} as IssuingTemplate, checked: csrNames(csr.toString()) };
    const error = await connector().issue(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaError);
    expect((error as CaError).retryable).toBe(true);
    expect((error as CaError).message).toBe(`Could not reach the ACME server at ${closedUrl}/nonce (connection failed or timed out); the request will be retried later`);
  });
});
