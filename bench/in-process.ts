import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rpcInputSchemas } from '../src/shared/client';
import { createSatellite, type Satellite } from '../src/main/core/satellite';
import type { BenchKeyType } from './key-types';
import { requestBody } from './key-types';

/** A satellite as the desktop app runs it (built-in CA, SQLite inventory, file log), in a temp dir. */
export interface InProcessSatellite {
  satellite: Satellite;
  /** One certificate request through the service, as IPC sends it: parsed with the shared schema, then submitted. */
  request(k: BenchKeyType, i: number): Promise<void>;
  close(): Promise<void>;
}

/** Throws unless the request came back ISSUED: a bench that times failures measures nothing. */
export function mustBeIssued(status: string | undefined, detail: unknown): void {
  if (status !== 'ISSUED') throw new Error(`a bench request ended ${status ?? 'without a status'}, not ISSUED: ${JSON.stringify(detail).slice(0, 500)}`);
}

export async function openInProcessSatellite(): Promise<InProcessSatellite> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ks-bench-'));
  let satellite: Satellite;
  try {
    satellite = await createSatellite({ dataDir, dekStore: 'file', dekPassphrase: randomBytes(18).toString('base64url') });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const [application] = await satellite.call('listApplications', {});
  const templateId = application && Object.values(application.certificateIssuingTemplateAliasIdMap)[0];
  if (!application || !templateId) throw new Error(`the new satellite in ${dataDir} has no application with an issuing template; the first-run seed should make one`);

  return {
    satellite,
    async request(k, i) {
      const body = rpcInputSchemas.requestCertificate.parse(requestBody(application.id, templateId, k, i));
      const record = await satellite.call('requestCertificate', body);
      mustBeIssued(record.status, record.errorInformation);
    },
    async close() {
      await satellite.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
