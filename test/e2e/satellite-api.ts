import type { SatelliteServer } from '../helpers/satellite-server';

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
