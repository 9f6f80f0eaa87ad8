import type { SatelliteServer } from '../helpers/satellite-server';
import { seedRequestBody } from '../helpers/seed-request';

// The headless satellite's own REST API, as a second witness beside the browser: what the
// UI shows must be what the satellite holds.

async function api<T>(server: SatelliteServer, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'tppl-api-key': server.apiKey, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path} answered HTTP ${res.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

/** How many certificates (end entity and chain) the satellite's inventory holds. */
export async function inventoryCount(server: SatelliteServer): Promise<number> {
  const result = await api<{ count: number }>(server, '/outagedetection/v1/certificatesearch', { paging: { pageNumber: 0, pageSize: 1 } });
  return result.count;
}

/** The seed's example request under the Default application's template, over the REST API; the issued certificate's id. */
export async function requestSeedCertificate(server: SatelliteServer): Promise<string> {
  const { applications } = await api<{ applications: { id: string; certificateIssuingTemplateAliasIdMap: Record<string, string> }[] }>(server, '/outagedetection/v1/applications');
  const application = applications[0]!;
  const body = seedRequestBody({ applicationId: application.id, certificateIssuingTemplateId: Object.values(application.certificateIssuingTemplateAliasIdMap)[0]! });
  const { certificateRequests } = await api<{ certificateRequests: { status: string; certificateIds: string[] }[] }>(server, '/outagedetection/v1/certificaterequests', body);
  const [request] = certificateRequests;
  if (request?.status !== 'ISSUED') throw new Error(`the seed request ended ${request?.status ?? 'without a status'}, not ISSUED`);
  return request.certificateIds[0]!;
}
