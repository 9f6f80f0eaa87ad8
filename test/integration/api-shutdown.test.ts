import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startSatelliteServer, type SatelliteServer } from '../helpers/satellite-server';
import { describeWithTools } from '../helpers/tools';

// SIGTERM in the middle of a burst of certificate requests, then a restart on the same data
// directory: every request the satellite acknowledged with 201 must still be there.

const WORKERS = 4;
const MAX_REQUESTS = 200;
const SIGTERM_AFTER_ACKS = 3;

describeWithTools([])('headless satellite: graceful SIGTERM keeps every acknowledged request', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ks-api-shutdown-'));
  let sat: SatelliteServer | undefined;
  afterAll(async () => {
    await sat?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('acknowledged requests survive SIGTERM and a restart; the process exits 0', async () => {
    sat = await startSatelliteServer({ dataDir });
    const first = sat;
    const headers = { 'tppl-api-key': first.apiKey, 'content-type': 'application/json' };
    const apps = (await (await fetch(`${first.url}/outagedetection/v1/applications`, { headers })).json()) as {
      applications: { id: string; certificateIssuingTemplateAliasIdMap: Record<string, string> }[];
    };
    const body = (n: number) =>
      JSON.stringify({
        isVaaSGenerated: true,
        applicationId: apps.applications[0]!.id,
        certificateIssuingTemplateId: Object.values(apps.applications[0]!.certificateIssuingTemplateAliasIdMap)[0]!,
        validityPeriod: 'P7D',
        csrAttributes: { commonName: `burst-${n}.example.com`, subjectAlternativeNamesByType: { dnsNames: [`burst-${n}.example.com`] }, keyTypeParameters: { keyType: 'EC', keyCurve: 'P256' } },
      });

    const acknowledged: string[] = [];
    const refused: string[] = [];
    let sent = 0;
    let signalled = false;
    let stop = false;
    const worker = async () => {
      while (!stop && sent < MAX_REQUESTS) {
        const n = sent++;
        try {
          const res = await fetch(`${first.url}/outagedetection/v1/certificaterequests`, { method: 'POST', headers, body: body(n), signal: AbortSignal.timeout(60_000) });
          const text = await res.text();
          if (res.status === 201) {
            acknowledged.push((JSON.parse(text) as { certificateRequests: { id: string }[] }).certificateRequests[0]!.id);
            if (!signalled && acknowledged.length >= SIGTERM_AFTER_ACKS) {
              signalled = true;
              first.child.kill('SIGTERM');
            }
          } else {
            refused.push(`HTTP ${res.status}`);
            if (signalled) stop = true;
          }
        } catch (error) {
          refused.push(String(error));
          // Connection refused or reset: the satellite has stopped listening.
          if (signalled) stop = true;
          else throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
    expect(signalled, `only ${acknowledged.length} of ${sent} requests were acknowledged: ${refused.slice(0, 3).join('; ')}`).toBe(true);

    const exit = await Promise.race([first.exited, new Promise<'timeout'>((ok) => setTimeout(() => ok('timeout'), 45_000))]);
    expect(exit, first.output().stderr).toEqual({ code: 0, signal: null });
    expect(first.output().stdout).toContain('SIGTERM');
    expect(acknowledged.length).toBeGreaterThanOrEqual(SIGTERM_AFTER_ACKS);
    // The burst was still going when the satellite stopped: some requests were turned away.
    expect(refused.length, `${acknowledged.length} acknowledged, none refused`).toBeGreaterThan(0);

    sat = await startSatelliteServer({ dataDir, apiKey: first.apiKey, dekPassphrase: first.dekPassphrase });
    const second = sat;
    const missing: string[] = [];
    for (const id of acknowledged) {
      const res = await fetch(`${second.url}/outagedetection/v1/certificaterequests/${id}`, { headers: { 'tppl-api-key': second.apiKey } });
      if (res.status !== 200 || ((await res.json()) as { id: string }).id !== id) missing.push(`${id}: HTTP ${res.status}`);
    }
    expect(missing, `acknowledged before SIGTERM but gone after the restart:\n${missing.join('\n')}`).toEqual([]);
    const stopped = await second.kill('SIGTERM');
    sat = undefined;
    expect(stopped).toEqual({ code: 0, signal: null });
  });
});
