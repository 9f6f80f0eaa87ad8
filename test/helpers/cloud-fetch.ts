import { seedRequestBody } from './seed-request';

// The satellite's cloud API through Node's fetch (a plain-HTTP test satellite), for suites that
// need what it answers, errors included: the status and the JSON as sent.

interface Reachable {
  url: string;
  apiKey: string;
}

/**
 * One turn of the event loop before a request. The suites run openssl and Java with spawnSync,
 * which blocks the loop for seconds; the satellite closes idle keep-alive sockets meanwhile (5 s,
 * or 2 s after an error answer), and without this turn fetch's pool has not seen the close yet and
 * sends the request on the dead socket ("other side closed").
 */
export const afterSocketCloses = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** GET (no body) or POST `body` to `path` with the API key; the status and the parsed JSON. */
export async function cloudCall<T>(server: Reachable, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  await afterSocketCloses();
  const res = await fetch(`${server.url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'tppl-api-key': server.apiKey, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as T };
}

export type CloudRequestAnswer = { certificateRequests?: { status: string; certificateIds: string[] }[]; errors?: { message: string }[] };

/** The seed's request for `cn` (its CN and only SAN, an EC P-256 key) under the first application's template. */
export async function requestCertificateFor(server: Reachable, cn: string): Promise<{ status: number; json: CloudRequestAnswer }> {
  const { applications } = (await cloudCall<{ applications: { id: string; certificateIssuingTemplateAliasIdMap: Record<string, string> }[] }>(server, '/outagedetection/v1/applications')).json;
  const body = seedRequestBody({ applicationId: applications[0]!.id, certificateIssuingTemplateId: Object.values(applications[0]!.certificateIssuingTemplateAliasIdMap)[0]! }, [cn]);
  body.csrAttributes!.commonName = cn;
  body.csrAttributes!.keyTypeParameters = { keyType: 'EC', keyCurve: 'P256' };
  return cloudCall<CloudRequestAnswer>(server, '/outagedetection/v1/certificaterequests', body);
}

/** The certificate and its chain in PEM, end entity first, one string each, as the REST API hands them out. */
export async function certificateChainPems(server: Reachable, id: string): Promise<string[]> {
  const res = await fetch(`${server.url}/outagedetection/v1/certificates/${id}/contents?format=PEM&chainOrder=EE_FIRST`, { headers: { 'tppl-api-key': server.apiKey } });
  const text = await res.text();
  if (!res.ok) throw new Error(`the contents of ${id} answered HTTP ${res.status}: ${text.slice(0, 300)}`);
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? [];
}
