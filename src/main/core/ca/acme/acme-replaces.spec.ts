import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { AuthorityKeyIdentifierExtension, X509CertificateGenerator } from '@peculiar/x509';
import * as acme from 'acme-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { IssuingTemplate } from '../../../../shared/settings';
import { CaError, type IssueRequest } from '../connector';
import { standInAcmeConnector } from './acme-connector.testkit';
import { ariCertId } from './renewal-info';
import { acmeProfileProblem } from './profiles';
import { csrNames } from '../../pki/csr-reader';

// RFC 9773 section 5: a renewal's new order names the certificate it replaces when the CA offers
// Renewal Information. Debian's pebble 2.4 has none, so a stand-in on 127.0.0.1 answers the
// directory, nonces and the account, records each newOrder payload, and refuses the orders so
// the test sees both: "replaces" refused (alreadyReplaced), then the order again without it.
// The same stand-in checks ACME profiles (draft-ietf-acme-profiles, which pebble 2.4 lacks too):
// the directory lists meta.profiles as Let's Encrypt's does, and newOrder carries the template's.


async function previousCertificate(): Promise<string> {
  const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await X509CertificateGenerator.createSelfSigned(
    { serialNumber: '8a0b0c', name: 'CN=renew.example.test', keys, extensions: [new AuthorityKeyIdentifierExtension('0102030405')] },
    webcrypto as Crypto,
  );
  return cert.toString('pem');
}

describe('AcmeConnector: renewal orders name the certificate they replace (RFC 9773)', () => {
  let server: Server;
  let base: string;
  let offersRenewalInfo = true;
  let offersProfiles = false;
  const orders: Record<string, unknown>[] = [];

  const body = (req: IncomingMessage) =>
    new Promise<Record<string, unknown>>((resolve) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString()));
      req.on('end', () => {
        const jws = JSON.parse(text || '{}') as { payload?: string };
        resolve(jws.payload ? (JSON.parse(Buffer.from(jws.payload, 'base64url').toString('utf8')) as Record<string, unknown>) : {});
      });
    });
  const problem = (res: ServerResponse, status: number, type: string, detail: string) =>
    res.writeHead(status, { 'content-type': 'application/problem+json', 'replay-nonce': `n${Math.random()}` }).end(JSON.stringify({ type, detail, status }));

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const nonce = { 'replay-nonce': `n${Math.random()}` };
      if (req.url === '/dir') {
        return res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            newNonce: `${base}/nonce`,
            newAccount: `${base}/account`,
            newOrder: `${base}/order`,
            ...(offersRenewalInfo ? { renewalInfo: `${base}/renewal-info` } : {}),
            ...(offersProfiles ? { meta: { profiles: { classic: 'The same profile you are accustomed to', tlsserver: 'https://letsencrypt.org/2025/01/09/acme-profiles/', shortlived: '6-day certificates' } } } : {}),
          }),
        );
      }
      if (req.url === '/nonce') return res.writeHead(200, nonce).end();
      if (req.url === '/account') {
        await body(req);
        return res.writeHead(201, { ...nonce, 'content-type': 'application/json', location: `${base}/account/1` }).end(JSON.stringify({ status: 'valid' }));
      }
      if (req.url === '/order') {
        const payload = await body(req);
        orders.push(payload);
        if (payload.replaces) return problem(res, 409, 'urn:ietf:params:acme:error:alreadyReplaced', 'this certificate was already replaced');
        return problem(res, 400, 'urn:ietf:params:acme:error:rejectedIdentifier', 'the stand-in issues nothing');
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

  beforeEach(() => {
    orders.length = 0;
    offersRenewalInfo = true;
    offersProfiles = false;
  });

  const connector = (profile?: string) => standInAcmeConnector(`${base}/dir`, profile ? { profile } : {});

  async function issue(replacesCertificatePem?: string, profile?: string): Promise<CaError> {
    const [, csr] = await acme.crypto.createCsr({ commonName: 'renew.example.test' });
    const request: IssueRequest = { requestId: 'r1', csrPem: csr.toString(), validitySeconds: 86400, extendedKeyUsages: ['SERVER_AUTH'], template: {} as IssuingTemplate, checked: csrNames(csr.toString()), replacesCertificatePem };
    const error = await connector(profile).issue(request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaError);
    return error as CaError;
  }

  it('sends replaces with the old certificate’s ARI id, and orders again without it when the CA refuses it', async () => {
    const previous = await previousCertificate();
    const error = await issue(previous);
    expect(orders).toEqual([
      { identifiers: [{ type: 'dns', value: 'renew.example.test' }], replaces: ariCertId(previous) },
      { identifiers: [{ type: 'dns', value: 'renew.example.test' }] },
    ]);
    // The outcome is the order's own, not the refused hint's.
    expect(error.message).toContain('rejectedIdentifier');
    expect(error.retryable).toBe(false);
  });

  it('sends no replaces for a first certificate, or to a CA without Renewal Information', async () => {
    await issue();
    offersRenewalInfo = false;
    await issue(await previousCertificate());
    expect(orders).toEqual([{ identifiers: [{ type: 'dns', value: 'renew.example.test' }] }, { identifiers: [{ type: 'dns', value: 'renew.example.test' }] }]);
  });

  it('sends the template\'s profile in newOrder, beside replaces', async () => {
    offersProfiles = true;
    const previous = await previousCertificate();
    await issue(previous, 'shortlived');
    expect(orders[0]).toEqual({ identifiers: [{ type: 'dns', value: 'renew.example.test' }], profile: 'shortlived', replaces: ariCertId(previous) });
    expect(orders[1]).toEqual({ identifiers: [{ type: 'dns', value: 'renew.example.test' }], profile: 'shortlived' });
  });

  it('checks a profile against the directory when the template is saved', async () => {
    const settings = (profile: string | undefined) => ({ directoryUrl: `${base}/dir`, profile });
    expect(await acmeProfileProblem(settings(undefined))).toBeUndefined();
    expect(await acmeProfileProblem(settings('shortlived'))).toMatch(/offers no profiles \(its directory has no meta\.profiles\); leave profile empty/);
    offersProfiles = true;
    expect(await acmeProfileProblem(settings('shortlived'))).toBeUndefined();
    expect(await acmeProfileProblem(settings('sixday'))).toBe(`profile "sixday" is not one the ACME CA at ${base}/dir offers; choose one of classic, tlsserver, shortlived`);
    expect(await acmeProfileProblem({ directoryUrl: 'http://127.0.0.1:1/dir', profile: 'classic' })).toMatch(/^profile "classic" cannot be checked: Could not reach the ACME server/);
  });
});
