import { startSatelliteServer, type SatelliteServer } from '../test/helpers/satellite-server';
import { mustBeIssued } from './in-process';
import { requestBody, type BenchKeyType } from './key-types';
import { peakRssOfChildMb, resetPeakRssOfChild } from './memory';
import { RestClient } from './rest-client';
import { timeOnce } from './stats';

/** The headless satellite in a child process, and a keep-alive client talking to it. */
export interface RestSatellite {
  startMs: number;
  /** The server's process id, for its CPU time. */
  pid: number | undefined;
  request(k: BenchKeyType, i: number): Promise<void>;
  /** Peak RSS of the server process while serving (since it was up), in MB (Linux). */
  serverPeakRssMb(): number | undefined;
  /**
   * Peak RSS while it started, in MB: opening the file DEK store derives the key from the
   * passphrase with scrypt (N=2^17, r=8), which holds 128 MiB for a moment, by design.
   */
  startupPeakRssMb: number | undefined;
  close(): Promise<void>;
}

interface ApplicationsReply {
  applications?: { id: string; certificateIssuingTemplateAliasIdMap: Record<string, string> }[];
}

interface RequestReply {
  certificateRequests?: { status?: string; errorInformation?: unknown }[];
}

export async function openRestSatellite(maxSockets: number): Promise<RestSatellite> {
  const { ms: startMs, value: server } = await timeOnce<SatelliteServer>(() => startSatelliteServer());
  const pid = server.child.pid;
  const startupPeakRssMb = pid === undefined ? undefined : peakRssOfChildMb(pid);
  const servingMeasured = pid !== undefined && resetPeakRssOfChild(pid);
  const client = new RestClient(server.url, maxSockets, { 'tppl-api-key': server.apiKey });
  try {
    const apps = await client.send('GET', '/outagedetection/v1/applications');
    const application = (apps.json as ApplicationsReply).applications?.[0];
    const templateId = application && Object.values(application.certificateIssuingTemplateAliasIdMap)[0];
    if (apps.status !== 200 || !application || !templateId) {
      throw new Error(`GET /outagedetection/v1/applications answered HTTP ${apps.status} without an application and template: ${JSON.stringify(apps.json).slice(0, 300)}`);
    }
    return {
      startMs,
      pid,
      async request(k, i) {
        const reply = await client.send('POST', '/outagedetection/v1/certificaterequests', requestBody(application.id, templateId, k, i));
        const first = (reply.json as RequestReply).certificateRequests?.[0];
        if (reply.status !== 201) throw new Error(`POST /outagedetection/v1/certificaterequests answered HTTP ${reply.status}: ${JSON.stringify(reply.json).slice(0, 500)}`);
        mustBeIssued(first?.status, first?.errorInformation);
      },
      serverPeakRssMb: () => (servingMeasured ? peakRssOfChildMb(pid) : undefined),
      startupPeakRssMb,
      async close() {
        client.close();
        await server.kill();
      },
    };
  } catch (error) {
    client.close();
    await server.kill();
    throw error;
  }
}
