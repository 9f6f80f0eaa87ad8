import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ErrorInformation } from '../../src/shared/certificate-request';

// A STAND-IN for the cloud's REST API (TLS Protect Cloud / Certificate Manager SaaS), written
// from /work/shared/reference/vaas-api.md: the calls, shapes, statuses and error codes the
// connector uses, on 127.0.0.1 only. It is not the cloud; it signs CSRs with a throwaway
// openssl CA (root + intermediate) so the chain it returns is real.

/** How the stand-in treats the next certificate request. */
export type RequestPlan =
  /** ISSUED after `pendingPolls` status reads; /contents answers 409 `contentsConflicts` times first. */
  | { outcome: 'issue'; pendingPolls?: number; contentsConflicts?: number }
  /** FAILED after `pendingPolls` status reads, with this errorInformation. */
  | { outcome: 'fail'; pendingPolls?: number; errorInformation: ErrorInformation }
  /** The POST itself answers this 5xx. */
  | { outcome: 'server-error'; status: number };

interface StoredRequest {
  id: string;
  body: Record<string, unknown>;
  plan: RequestPlan;
  pollsLeft: number;
  conflictsLeft: number;
  certificateIds: string[];
  creationDate: string;
}

export interface CloudStandIn {
  baseUrl: string;
  apiKey: string;
  applicationId: string;
  templateId: string;
  /** The plan for requests from now on (default: issue at once). */
  setPlan(plan: RequestPlan): void;
  /** Bodies of every POSTed certificate request, and every path asked for. */
  received: { bodies: Record<string, unknown>[]; paths: string[]; apiKeys: string[] };
  rootPem: string;
  stop(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const errors = (res: ServerResponse, status: number, code: number, message: string, args?: unknown) => json(res, status, { errors: [{ code, message, ...(args !== undefined ? { args } : {}) }] });

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startCloudStandIn(): Promise<CloudStandIn> {
  const dir = mkdtempSync(join(tmpdir(), 'ks-cloud-stand-in-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'root.key', '-out', 'root.pem', '-days', '3', '-subj', '/CN=Cloud Stand-in Root');
  openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ica.key', '-out', 'ica.csr', '-subj', '/CN=Cloud Stand-in Issuing CA');
  writeFileSync(join(dir, 'ica.ext'), 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n');
  openssl('x509', '-req', '-in', 'ica.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-out', 'ica.pem', '-days', '3', '-extfile', 'ica.ext');
  const rootPem = readFileSync(join(dir, 'root.pem'), 'utf8');
  const icaPem = readFileSync(join(dir, 'ica.pem'), 'utf8');

  const apiKey = randomUUID();
  const applicationId = randomUUID();
  const templateId = randomUUID();
  const requests = new Map<string, StoredRequest>();
  const certificates = new Map<string, { requestId: string; pem: string | undefined }>();
  const received = { bodies: [] as Record<string, unknown>[], paths: [] as string[], apiKeys: [] as string[] };
  let plan: RequestPlan = { outcome: 'issue' };

  function sign(csrPem: string, validityPeriod: string): string {
    const name = randomUUID();
    writeFileSync(join(dir, `${name}.csr`), csrPem);
    const days = Math.max(1, Number(/^P(\d+)D$/.exec(validityPeriod)?.[1] ?? '1'));
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ica.pem', '-CAkey', 'ica.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', String(days), '-copy_extensions', 'copy');
    return readFileSync(join(dir, `${name}.pem`), 'utf8');
  }

  function view(r: StoredRequest, status: string, errorInformation?: ErrorInformation) {
    return {
      id: r.id,
      companyId: '00000000-0000-4000-8000-000000000001',
      applicationId: r.body.applicationId,
      creationDate: r.creationDate,
      modificationDate: new Date().toISOString(),
      status,
      certificateOwnerUserId: '00000000-0000-4000-8000-000000000002',
      certificateIssuingTemplateId: r.body.certificateIssuingTemplateId,
      certificateIds: status === 'ISSUED' ? r.certificateIds : [],
      certificateSigningRequest: r.body.certificateSigningRequest,
      validityPeriod: r.body.validityPeriod,
      ...(errorInformation ? { errorInformation } : {}),
    };
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      received.paths.push(`${req.method} ${url.pathname}${url.search}`);
      const key = req.headers['tppl-api-key'];
      if (typeof key !== 'string') return errors(res, 401, 1004, 'Missing the tppl-api-key header');
      received.apiKeys.push(key);
      if (key !== apiKey) return errors(res, 401, 40100, 'Invalid or expired API key');

      if (req.method === 'GET' && url.pathname === '/v1/useraccounts') {
        return json(res, 200, { user: { username: 'stand-in@example.test' }, company: { id: '00000000-0000-4000-8000-000000000001' }, apiKey: { key: 'redacted' } });
      }
      if (req.method === 'POST' && url.pathname === '/outagedetection/v1/certificaterequests') {
        const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
        received.bodies.push(body);
        if (plan.outcome === 'server-error') return errors(res, plan.status, 50000, 'The service is temporarily unavailable');
        if (body.applicationId !== applicationId) return errors(res, 400, 10051, `Application with id ${String(body.applicationId)} not found`);
        if (typeof body.certificateSigningRequest !== 'string') return errors(res, 400, 40000, 'certificateSigningRequest is required');
        const r: StoredRequest = {
          id: randomUUID(),
          body,
          plan,
          pollsLeft: plan.pendingPolls ?? 0,
          conflictsLeft: plan.outcome === 'issue' ? (plan.contentsConflicts ?? 0) : 0,
          certificateIds: [randomUUID(), randomUUID()],
          creationDate: new Date().toISOString(),
        };
        requests.set(r.id, r);
        certificates.set(r.certificateIds[0]!, { requestId: r.id, pem: undefined });
        return json(res, 201, { certificateRequests: [view(r, 'REQUESTED')] });
      }
      const requestMatch = /^\/outagedetection\/v1\/certificaterequests\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'GET' && requestMatch) {
        const r = requests.get(requestMatch[1]!);
        if (!r) return errors(res, 404, 40400, `Certificate request ${requestMatch[1]} not found`);
        if (r.pollsLeft > 0) {
          r.pollsLeft--;
          return json(res, 200, view(r, 'PENDING'));
        }
        if (r.plan.outcome === 'fail') return json(res, 200, view(r, 'FAILED', r.plan.errorInformation));
        return json(res, 200, view(r, 'ISSUED'));
      }
      const contentsMatch = /^\/outagedetection\/v1\/certificates\/([^/]+)\/contents$/.exec(url.pathname);
      if (req.method === 'GET' && contentsMatch) {
        const cert = certificates.get(contentsMatch[1]!);
        if (!cert) return errors(res, 404, 40400, `Certificate ${contentsMatch[1]} not found`);
        const r = requests.get(cert.requestId)!;
        if (r.pollsLeft > 0 || r.plan.outcome !== 'issue' || r.conflictsLeft > 0) {
          if (r.conflictsLeft > 0) r.conflictsLeft--;
          return errors(res, 409, 40900, 'The certificate has not been issued yet');
        }
        cert.pem ??= sign(String(r.body.certificateSigningRequest), String(r.body.validityPeriod ?? 'P1D'));
        const chain = url.searchParams.get('chainOrder') === 'EE_ONLY' ? [cert.pem] : [cert.pem, icaPem, rootPem];
        return res.writeHead(200, { 'content-type': 'text/plain' }).end(chain.join(''));
      }
      return errors(res, 404, 40400, `No route for ${req.method} ${url.pathname}`);
    })().catch((e: Error) => errors(res, 500, 50000, `stand-in failure: ${e.message}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    apiKey,
    applicationId,
    templateId,
    setPlan: (p) => void (plan = p),
    received,
    rootPem,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
