import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { rpcInputSchemas } from '../../src/shared/client';
import type { CertificateRecord } from '../../src/shared/certificate';
import { createSatellite } from '../../src/main/core/satellite';
import { openInventoryStore } from '../../src/main/core/store';
import { seedRequestBody } from '../helpers/seed-request';

// A big inventory, made fast: the satellite issues one real certificate, then copies of its
// record go straight into <dataDir>/inventory.sqlite with their own ids, names, serials,
// fingerprints and expiry dates (all sharing the real PEM, which the inventory page never reads).

const DAY_MS = 86_400_000;
const hex = (bytes: number) => randomBytes(bytes).toString('hex').toUpperCase();

/** The one certificate in the inventory whose CN and SAN contain this; it expires last, so it starts far below the fold. */
export const NEEDLE = { commonName: 'zebra-needle.inventory.example', dnsName: 'zebra-needle-alt.inventory.example' };

export interface SeededInventory {
  /** End-entity certificates in the store, the real one included. */
  total: number;
  /** The needle's serial (upper-case hex), to search by. */
  needleSerial: string;
  /** How many are due for renewal by the satellite's rule (past two thirds of their lifetime). */
  renewalDue: number;
}

/** The hosts were issued 30 days ago and expire 1 to 400 days from now. */
const ISSUED_DAYS_AGO = 30;
const hostExpiresInDays = (i: number) => ((i * 7919) % 400) + 1;

/** Creates a satellite in `dataDir` (file DEK under `dekPassphrase`), issues one certificate and fills the inventory up to `total`. */
export async function seedInventory(dataDir: string, dekPassphrase: string, total: number): Promise<SeededInventory> {
  const satellite = await createSatellite({ dataDir, dekStore: 'file', dekPassphrase });
  let issuedId: string;
  try {
    const application = (await satellite.call('listApplications', {})).find((a) => a.name === 'Default');
    if (!application) throw new Error('a new satellite should have the "Default" application');
    const certificateIssuingTemplateId = application.certificateIssuingTemplateAliasIdMap.Default!;
    const body = rpcInputSchemas.requestCertificate.parse(seedRequestBody({ applicationId: application.id, certificateIssuingTemplateId }));
    const request = await satellite.call('requestCertificate', body);
    if (request.status !== 'ISSUED') throw new Error(`the seed request ended ${request.status}: ${request.errorInformation?.message ?? 'no reason given'}`);
    issuedId = request.certificateIds[0]!;
  } finally {
    await satellite.close();
  }

  const store = openInventoryStore(join(dataDir, 'inventory.sqlite'));
  try {
    const real = store.getCertificate(issuedId)!;
    const pem = store.getCertificatePem(issuedId)!;
    const now = Date.now();
    const copy = (i: number, commonName: string, dnsName: string, validityEnd: number): CertificateRecord => ({
      ...real,
      id: randomUUID(),
      certificateRequestId: undefined,
      dekHash: undefined,
      subjectCN: [commonName],
      subjectDN: `cn=${commonName},o=Inventory Load Test`,
      certificateName: commonName,
      subjectAlternativeNamesByType: { ...real.subjectAlternativeNamesByType, dNSName: [commonName, dnsName] },
      serialNumber: `${i.toString(16).toUpperCase().padStart(6, '0')}${hex(10)}`,
      fingerprint: hex(20),
      sha256Fingerprint: hex(32),
      validityStart: new Date(now - ISSUED_DAYS_AGO * DAY_MS).toISOString(),
      validityEnd: new Date(validityEnd).toISOString(),
    });
    const needle = copy(0, NEEDLE.commonName, NEEDLE.dnsName, now + 800 * DAY_MS);
    store.transaction(() => {
      store.putCertificate(needle, pem);
      // Expiry dates spread over the next 400 days, so sorting and the badges have work to do.
      for (let i = 1; i < total - 1; i++) {
        store.putCertificate(copy(i, `host-${String(i).padStart(5, '0')}.inventory.example`, `alt-${i}.inventory.example`, now + hostExpiresInDays(i) * DAY_MS), pem);
      }
    });
    // Due once two thirds of the lifetime have passed: 30 days of a 30 + d day lifetime, so d <= 15.
    let renewalDue = 0;
    for (let i = 1; i < total - 1; i++) if (ISSUED_DAYS_AGO >= ((ISSUED_DAYS_AGO + hostExpiresInDays(i)) * 2) / 3) renewalDue++;
    // The real certificate, the needle and the hosts; the two chain certificates are not end entities.
    return { total: 1 + 1 + (total - 2), needleSerial: needle.serialNumber, renewalDue };
  } finally {
    store.close();
  }
}
