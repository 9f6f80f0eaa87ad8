import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificateSearchSchema, type CertificateSearch } from '../src/shared/search';
import type { CertificateRecord } from '../src/shared/certificate';
import { subtle, toPem, x509 } from '../src/main/core/ca/builtin/x509';
import { openInventoryStore, type InventoryStore } from '../src/main/core/store';
import type { Iterations } from './key-types';
import { summarize, timeOnce, type Timing } from './stats';

// The inventory at scale: synthetic certificate records (one real PEM reused) written straight
// into the store in one transaction, then the searches the UI runs, timed on a reopened store.

const DAY = 86_400_000;

export interface InventoryResult {
  certificates: number;
  fileMb: number;
  fillMs: number;
  open: Timing;
  searches: { name: string; matches: number; timing: Timing }[];
}

async function onePem(): Promise<string> {
  const keys = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8).toString('hex'),
    name: 'CN=bench.example.com',
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 90 * DAY),
    keys,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
  });
  return toPem(cert.rawData, 'CERTIFICATE');
}

const hex = (bytes: number): string => randomBytes(bytes).toString('hex').toUpperCase();

/** Certificate i: a unique CN and SAN, expiry spread from 30 days ago to 400 days ahead. */
function syntheticRecord(i: number, now: number, applicationId: string): CertificateRecord {
  const cn = `web-${i}.team${i % 97}.example.com`;
  const end = now + (((i * 7919) % 430) - 30) * DAY;
  return {
    id: randomUUID(),
    companyId: 'bench',
    applicationIds: [applicationId],
    subjectCN: [cn],
    subjectDN: `cn=${cn}`,
    issuerDN: 'cn=Keypair Satellite Issuing CA,o=Keypair Satellite',
    subjectAlternativeNamesByType: {
      otherName: [],
      rfc822Name: [],
      dNSName: [cn, `api-${i}.internal.example.net`],
      x400Address: [],
      directoryName: [],
      ediPartyName: [],
      uniformResourceIdentifier: [],
      iPAddress: [],
      registeredID: [],
    },
    serialNumber: hex(16),
    fingerprint: hex(20),
    sha256Fingerprint: hex(32),
    validityStart: new Date(end - 397 * DAY).toISOString(),
    validityEnd: new Date(end).toISOString(),
    keyType: i % 3 === 0 ? 'RSA' : 'EC',
    ...(i % 3 === 0 ? { keyStrength: 2048 } : { keyCurve: 'P256' }),
    certificateStatus: end < now ? 'EXPIRED' : 'ACTIVE',
    revocationStatus: 'NOT_REVOKED',
    isCA: false,
    chainCertificateIds: [],
    certificateName: cn,
    creationDate: new Date(now).toISOString(),
    modificationDate: new Date(now).toISOString(),
  } as CertificateRecord;
}

function fill(store: InventoryStore, count: number, pem: string): void {
  const now = Date.now();
  const applicationId = randomUUID();
  store.transaction(() => {
    for (let i = 0; i < count; i++) store.putCertificate(syntheticRecord(i, now, applicationId), pem);
  });
}

function searchesFor(count: number): { name: string; body: CertificateSearch }[] {
  const target = Math.floor(count * 0.37);
  const now = Date.now();
  return [
    { name: 'CN substring', body: { expression: { field: 'subjectCN', operator: 'FIND', value: `-${target}.team` } } },
    { name: 'SAN DNS substring', body: { expression: { field: 'subjectAlternativeNameDns', operator: 'FIND', value: `api-${target}.internal` } } },
    {
      name: 'expiring in 30 days',
      body: {
        expression: {
          operator: 'AND',
          operands: [
            { field: 'validityEnd', operator: 'GTE', value: new Date(now).toISOString() },
            { field: 'validityEnd', operator: 'LTE', value: new Date(now + 30 * DAY).toISOString() },
          ],
        },
        ordering: { orders: [{ field: 'validityEnd', direction: 'ASC' }] },
      },
    },
  ];
}

async function benchSize(count: number, pem: string, iterations: Iterations): Promise<InventoryResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ks-bench-inventory-'));
  const path = join(dir, 'inventory.sqlite');
  try {
    const filling = openInventoryStore(path);
    const { ms: fillMs } = await timeOnce(() => fill(filling, count, pem));
    filling.close();

    const opens: number[] = [];
    for (let r = 0; r < iterations.openRepeats; r++) {
      const { ms, value } = await timeOnce(() => openInventoryStore(path));
      opens.push(ms);
      value.close();
    }

    const store = openInventoryStore(path);
    try {
      const searches = searchesFor(count).map(({ name, body }) => {
        const query = certificateSearchSchema.parse(body);
        const samples: number[] = [];
        let matches = 0;
        for (let r = 0; r < iterations.searchRepeats; r++) {
          const started = performance.now();
          matches = store.search(query).count;
          samples.push(performance.now() - started);
        }
        if (matches === 0) throw new Error(`inventory search "${name}" over ${count} certificates found nothing; the synthetic rows or the search are wrong`);
        return { name, matches, timing: summarize(samples) };
      });
      return { certificates: count, fileMb: statSync(path).size / 1024 / 1024, fillMs, open: summarize(opens), searches };
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchInventory(iterations: Iterations): Promise<InventoryResult[]> {
  const pem = await onePem();
  const results: InventoryResult[] = [];
  for (const count of iterations.inventorySizes) results.push(await benchSize(count, pem, iterations));
  return results;
}
