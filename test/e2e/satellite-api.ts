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

/** The certificate alone, in PEM, as the REST API hands it out. */
export async function certificatePem(server: SatelliteServer, id: string): Promise<string> {
  const res = await fetch(`${server.url}/outagedetection/v1/certificates/${id}/contents?format=PEM&chainOrder=EE_ONLY`, { headers: { 'tppl-api-key': server.apiKey } });
  const text = await res.text();
  if (!res.ok) throw new Error(`the contents of ${id} answered HTTP ${res.status}: ${text.slice(0, 300)}`);
  return text;
}

/** Whether the satellite still holds this certificate (HTTP 200 or 404). */
export async function certificateExists(server: SatelliteServer, id: string): Promise<boolean> {
  const res = await fetch(`${server.url}/outagedetection/v1/certificates/${id}`, { headers: { 'tppl-api-key': server.apiKey, accept: 'application/json' } });
  await res.text();
  if (res.status !== 200 && res.status !== 404) throw new Error(`certificate ${id} answered HTTP ${res.status}`);
  return res.status === 200;
}
