import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseSync } from 'node:sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificateSearchSchema, type CertificateSearch, type SearchExpression } from '../../../shared/search';
import type { CertificateRecord } from '../../../shared/certificate';
import { openInventoryStore, type InventoryStore } from './inventory-store';
import { SearchQueryError } from './search-sql';
import { fakeCertificate, fakeRequest } from './fixtures';

const DAY = 86_400_000;
const T0 = Date.parse('2026-06-01T00:00:00.000Z');
const at = (days: number): string => new Date(T0 + days * DAY).toISOString();
const APP_A = '11111111-1111-4111-8111-111111111111';
const APP_B = '22222222-2222-4222-8222-222222222222';
const TEMPLATE = '33333333-3333-4333-8333-333333333333';

// Both search paths: the trigram index, and the LIKE scan used where SQLite lacks FTS5.
describe.each([
  ['trigram index', true],
  ['LIKE scan', false],
])('InventoryStore.search (%s)', (_label, fullTextIndex) => {
  let dir: string;
  let store: InventoryStore;
  const certs: Record<string, CertificateRecord> = {};

  const search = (body: CertificateSearch) => store.search(certificateSearchSchema.parse(body));
  const ids = (body: CertificateSearch) => search(body).certificates.map((c) => c.certificateName).sort();
  const where = (expression: SearchExpression) => ids({ expression, paging: { pageNumber: 0, pageSize: 1000 } });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ks-search-'));
    store = openInventoryStore(join(dir, 'inventory.sqlite'), { fullTextIndex });
    expect(store.usesFullTextIndex).toBe(fullTextIndex);
    const issued = fakeRequest({ status: 'ISSUED' });
    const failed = fakeRequest({ status: 'FAILED' });
    store.insertRequest(issued);
    store.insertRequest(failed);
    const defs: CertificateRecord[] = [
      fakeCertificate({ certificateName: 'alpha', cn: 'Alpha.Example.com', dns: ['alpha.example.com', 'www.alpha.example.com'], validityEnd: at(5), applicationIds: [APP_A], certificateRequestId: issued.id, certificateIssuingTemplateId: TEMPLATE, serialNumber: '0AFF01', fingerprint: 'AA'.repeat(20) }),
      fakeCertificate({ certificateName: 'beta', cn: 'beta.example.org', dns: ['beta.example.org'], ips: ['10.0.0.7'], validityEnd: at(30), applicationIds: [APP_A, APP_B], keyType: 'EC', certificateRequestId: failed.id }),
      fakeCertificate({ certificateName: 'gamma', cn: 'gamma.internal', dns: ['gamma.internal', 'api.example.com'], validityEnd: at(60), applicationIds: [APP_B], revocationStatus: 'REVOKED' }),
      fakeCertificate({ certificateName: 'delta', cn: 'd%_e.example.com', dns: [], validityEnd: at(-3), certificateStatus: 'RETIRED', issuerDN: 'CN=Other CA' }),
      fakeCertificate({ certificateName: 'root', cn: 'Keypair Satellite Root CA', dns: [], validityEnd: at(7000), isCA: true, dekHash: 'dek-9' }),
    ];
    store.transaction(() => {
      for (const c of defs) {
        certs[c.certificateName] = c;
        store.putCertificate(c, `PEM ${c.certificateName}`);
      }
    });
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('FIND and MATCH: case-insensitive substring of the CN, with LIKE wildcards taken literally', () => {
    expect(where({ field: 'subjectCN', operator: 'FIND', value: 'EXAMPLE' })).toEqual(['alpha', 'beta', 'delta']);
    expect(where({ field: 'subjectCN', operator: 'MATCH', value: 'ha.ex' })).toEqual(['alpha']);
    expect(where({ field: 'subjectCN', operator: 'FIND', value: 'AL' })).toEqual(['alpha', 'gamma']);
    expect(where({ field: 'subjectCN', operator: 'FIND', value: '%_' })).toEqual(['delta']);
    expect(where({ field: 'subjectCN', operator: 'FIND', value: '_' })).toEqual(['delta']);
    expect(where({ field: 'subjectCN', operator: 'FIND', value: '"quoted"' })).toEqual([]);
    expect(where({ field: 'subjectCN', operator: 'FIND', value: "x' OR 1=1 --" })).toEqual([]);
  });

  it('EQ and IN on the CN are exact, case-insensitive', () => {
    expect(where({ field: 'subjectCN', operator: 'EQ', value: 'alpha.example.COM' })).toEqual(['alpha']);
    expect(where({ field: 'subjectCN', operator: 'EQ', value: 'alpha.example' })).toEqual([]);
    expect(where({ field: 'subjectCN', operator: 'IN', values: ['gamma.internal', 'beta.example.org', 'none'] })).toEqual(['beta', 'gamma']);
  });

  it('SANs: DNS and IP by EQ, IN and FIND', () => {
    expect(where({ field: 'subjectAlternativeNameDns', operator: 'EQ', value: 'api.example.com' })).toEqual(['gamma']);
    expect(where({ field: 'subjectAlternativeNameDns', operator: 'IN', values: ['www.alpha.example.com', 'beta.example.org'] })).toEqual(['alpha', 'beta']);
    expect(where({ field: 'subjectAlternativeNameDns', operator: 'FIND', value: 'example.com' })).toEqual(['alpha', 'gamma']);
    expect(where({ field: 'subjectAlternativeNameIp', operator: 'EQ', value: '10.0.0.7' })).toEqual(['beta']);
    expect(where({ field: 'subjectAlternativeNameIp', operator: 'FIND', value: '10.0' })).toEqual(['beta']);
    expect(where({ field: 'subjectAlternativeNameDns', operator: 'FIND', value: '10.0' })).toEqual([]);
  });

  it('fingerprint and serial: any case, with or without colons', () => {
    expect(where({ field: 'fingerprint', operator: 'EQ', value: 'aa:'.repeat(19) + 'aa' })).toEqual(['alpha']);
    expect(where({ field: 'serialNumber', operator: 'EQ', value: '0a:ff:01' })).toEqual(['alpha']);
    expect(where({ field: 'serialNumber', operator: 'FIND', value: 'aff01' })).toEqual(['alpha']);
    expect(where({ field: 'sha256Fingerprint', operator: 'EQ', value: certs.beta!.sha256Fingerprint.toLowerCase() })).toEqual(['beta']);
    expect(where({ field: 'id', operator: 'EQ', value: certs.gamma!.id })).toEqual(['gamma']);
  });

  it('statuses, application, template, key type, issuer and dekHash', () => {
    expect(where({ field: 'certificateStatus', operator: 'EQ', value: 'RETIRED' })).toEqual(['delta']);
    expect(where({ field: 'revocationStatus', operator: 'EQ', value: 'revoked' })).toEqual(['gamma']);
    expect(where({ field: 'requestStatus', operator: 'EQ', value: 'ISSUED' })).toEqual(['alpha']);
    expect(where({ field: 'requestStatus', operator: 'IN', values: ['FAILED', 'REJECTED'] })).toEqual(['beta']);
    expect(where({ field: 'appstackIds', operator: 'EQ', value: APP_B })).toEqual(['beta', 'gamma']);
    expect(where({ field: 'appstackIds', operator: 'IN', values: [APP_A] })).toEqual(['alpha', 'beta']);
    expect(where({ field: 'certificateIssuingTemplateId', operator: 'EQ', value: TEMPLATE })).toEqual(['alpha']);
    expect(where({ field: 'keyType', operator: 'EQ', value: 'ec' })).toEqual(['beta']);
    expect(where({ field: 'issuerDN', operator: 'FIND', value: 'other ca' })).toEqual(['delta']);
    expect(where({ field: 'dekHash', operator: 'EQ', value: 'dek-9' })).toEqual(['root']);
  });

  it('dates: GT, GTE, LT, LTE, EQ and the "expiring within N days" window', () => {
    expect(where({ field: 'validityEnd', operator: 'LT', value: at(5) })).toEqual(['delta']);
    expect(where({ field: 'validityEnd', operator: 'LTE', value: at(5) })).toEqual(['alpha', 'delta']);
    expect(where({ field: 'validityEnd', operator: 'GT', value: at(60) })).toEqual(['root']);
    expect(where({ field: 'validityEnd', operator: 'GTE', value: at(60) })).toEqual(['gamma', 'root']);
    expect(where({ field: 'validityEnd', operator: 'EQ', value: at(30) })).toEqual(['beta']);
    expect(where({ field: 'validityEnd', operator: 'IN', values: [at(30), T0 + 60 * DAY] })).toEqual(['beta', 'gamma']);
    expect(
      where({ operator: 'AND', operands: [{ field: 'validityEnd', operator: 'GTE', value: at(0) }, { field: 'validityEnd', operator: 'LTE', value: at(30) }] }),
    ).toEqual(['alpha', 'beta']);
  });

  it('AND / OR nest', () => {
    expect(
      where({
        operator: 'OR',
        operands: [
          { operator: 'AND', operands: [{ field: 'subjectCN', operator: 'FIND', value: 'example' }, { field: 'keyType', operator: 'EQ', value: 'EC' }] },
          { field: 'revocationStatus', operator: 'EQ', value: 'REVOKED' },
        ],
      }),
    ).toEqual(['beta', 'gamma']);
    expect(where({ operator: 'AND', operands: [] })).toHaveLength(5);
    expect(where({ operator: 'OR', operands: [] })).toEqual([]);
  });

  it('orders by one or more fields and pages with a total count', () => {
    const byEnd = search({ ordering: { orders: [{ field: 'validityEnd', direction: 'ASC' }] }, paging: { pageNumber: 0, pageSize: 2 } });
    expect(byEnd.count).toBe(5);
    expect(byEnd.certificates.map((c) => c.certificateName)).toEqual(['delta', 'alpha']);
    const page2 = search({ ordering: { orders: [{ field: 'validityEnd', direction: 'ASC' }] }, paging: { pageNumber: 1, pageSize: 2 } });
    expect(page2.certificates.map((c) => c.certificateName)).toEqual(['beta', 'gamma']);
    const page3 = search({ ordering: { orders: [{ field: 'validityEnd', direction: 'ASC' }] }, paging: { pageNumber: 2, pageSize: 2 } });
    expect(page3.certificates.map((c) => c.certificateName)).toEqual(['root']);
    expect(search({ paging: { pageNumber: 9, pageSize: 2 } })).toEqual({ count: 5, certificates: [] });

    const byCnDesc = search({ ordering: { orders: [{ field: 'subjectCN', direction: 'DESC' }] } });
    expect(byCnDesc.certificates.map((c) => c.certificateName)).toEqual(['root', 'gamma', 'delta', 'beta', 'alpha']);
    const twoKeys = search({ ordering: { orders: [{ field: 'keyType', direction: 'ASC' }, { field: 'validityEnd', direction: 'DESC' }] } });
    expect(twoKeys.certificates.map((c) => c.certificateName)).toEqual(['beta', 'root', 'gamma', 'alpha', 'delta']);
    // Default: the most recently stored first.
    expect(search({}).certificates.map((c) => c.certificateName)).toEqual(['root', 'delta', 'gamma', 'beta', 'alpha']);
  });

  it('refuses nonsense with an error naming the part of the body', () => {
    const err = (expression: SearchExpression) => {
      try {
        where(expression);
      } catch (e) {
        expect(e).toBeInstanceOf(SearchQueryError);
        return (e as SearchQueryError).message;
      }
      throw new Error('expected a SearchQueryError');
    };
    expect(err({ field: 'subjectCN', operator: 'GT', value: 'a' })).toMatch(/^expression\.operator: GT applies only to validityStart and validityEnd/);
    expect(err({ operator: 'AND', operands: [{ field: 'validityEnd', operator: 'FIND', value: '2026' }] })).toMatch(/^expression\.operands\.0\.operator: FIND does not apply/);
    expect(err({ field: 'validityEnd', operator: 'LT', value: 'next week' })).toMatch(/^expression\.value: "next week" is not a date/);
    expect(err({ field: 'subjectCN', operator: 'IN', values: [] })).toMatch(/^expression\.values: IN on subjectCN needs a non-empty values array/);
    expect(err({ field: 'subjectCN', operator: 'EQ' })).toMatch(/^expression\.value: EQ on subjectCN needs a string or number value/);
    expect(() => search({ ordering: { orders: [{ field: 'appstackIds', direction: 'ASC' }] } })).toThrow(/^ordering\.orders\.0\.field: cannot order by appstackIds/);
  });
});

describe('InventoryStore.search at 10,000 certificates', () => {
  it('finds exactly the matching rows by CN substring and by expiry window', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-search10k-'));
    const store = openInventoryStore(join(dir, 'inventory.sqlite'));
    try {
      store.transaction(() => {
        for (let i = 0; i < 10_000; i++) {
          const cn = `host${String(i).padStart(5, '0')}.${i % 10 === 0 ? 'shop' : 'corp'}.example.com`;
          store.putCertificate(fakeCertificate({ certificateName: String(i), cn, validityEnd: at(i % 365) }), 'PEM');
        }
      });
      expect(store.counts().certificates).toBe(10_000);

      const shop = store.search(certificateSearchSchema.parse({ expression: { field: 'subjectCN', operator: 'FIND', value: 'SHOP.example' }, paging: { pageSize: 1000 } }));
      expect(shop.count).toBe(1000);
      expect(shop.certificates.every((c) => Number(c.certificateName) % 10 === 0)).toBe(true);

      const one = store.search(certificateSearchSchema.parse({ expression: { field: 'subjectCN', operator: 'FIND', value: 'host01234' } }));
      expect(one.certificates.map((c) => c.certificateName)).toEqual(['1234']);

      // Expiring within 7 days of T0 (inclusive): i % 365 in 0..7.
      const window = certificateSearchSchema.parse({
        expression: { operator: 'AND', operands: [{ field: 'validityEnd', operator: 'GTE', value: at(0) }, { field: 'validityEnd', operator: 'LTE', value: at(7) }] },
        ordering: { orders: [{ field: 'validityEnd', direction: 'ASC' }] },
        paging: { pageSize: 1000 },
      });
      const expiring = store.search(window);
      const expected = Array.from({ length: 10_000 }, (_, i) => i).filter((i) => i % 365 <= 7);
      expect(expiring.count).toBe(expected.length);
      expect(expiring.certificates.map((c) => Number(c.certificateName)).sort((a, b) => a - b)).toEqual(expected);
      const ends = expiring.certificates.map((c) => c.validityEnd);
      expect([...ends].sort()).toEqual(ends);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// New certificates join the trigram table in batches (certificate-rows.ts); until then a search
// finds them by their rid. Whatever is batched or not yet, a search must find every certificate.
describe('the trigram table, written in batches', () => {
  const BATCH = 32;
  let dir: string;
  let file: string;
  let store: InventoryStore;

  const names = (needle: string, field: 'subjectCN' | 'subjectAlternativeNameDns' = 'subjectCN') =>
    store
      .search(certificateSearchSchema.parse({ expression: { field, operator: 'FIND', value: needle }, paging: { pageNumber: 0, pageSize: 1000 } }))
      .certificates.map((c) => c.certificateName)
      .sort();
  /** What the trigram table holds, read through a connection of its own (what the batches wrote, not what a search infers). */
  const indexed = (): { rows: number; through: number } => {
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      const { rows } = db.prepare('SELECT count(*) AS rows FROM certificate_names_fts').get() as { rows: number };
      const meta = db.prepare("SELECT value FROM meta WHERE key = 'names_fts_indexed_through'").get() as { value: string } | undefined;
      return { rows, through: Number(meta?.value ?? -1) };
    } finally {
      db.close();
    }
  };
  const put = (name: string, over: Parameters<typeof fakeCertificate>[0] = {}) => {
    const cert = fakeCertificate({ certificateName: name, cn: `${name}.batch.example`, dns: [`${name}.batch.example`, `alt-${name}.batch.example`], ...over });
    store.putCertificate(cert, `PEM ${name}`);
    return cert;
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ks-batches-'));
    file = join(dir, 'inventory.sqlite');
    store = openInventoryStore(file);
    expect(store.usesFullTextIndex).toBe(true);
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds certificates before, in and after their batch, by CN and by SAN', () => {
    const first = put('c0');
    for (let i = 1; i < BATCH - 1; i++) put(`c${i}`);
    expect(indexed()).toEqual({ rows: 0, through: 0 });
    expect(names('c0.batch')).toEqual(['c0']);
    // A certificate changed before its batch is written goes in with its new names only.
    store.putCertificate({ ...first, subjectCN: ['renamed.batch.example'], certificateName: 'c0' }, 'PEM c0');
    put(`c${BATCH - 1}`);
    expect(indexed()).toEqual({ rows: BATCH, through: BATCH });
    put('late');
    expect(indexed()).toEqual({ rows: BATCH, through: BATCH });
    expect(names('renamed.batch')).toEqual(['c0']);
    expect(names('c0.batch')).toEqual([]);
    expect(names('c31.batch')).toEqual(['c31']);
    expect(names('late.batch')).toEqual(['late']);
    expect(names('alt-c5.batch', 'subjectAlternativeNameDns')).toEqual(['c5']);
    expect(names('alt-late', 'subjectAlternativeNameDns')).toEqual(['late']);
    expect(names('.batch.example')).toHaveLength(BATCH + 1);
  });

  it('writes an indexed certificate\'s new names at once, and a batch rolled back leaves its certificates pending', () => {
    const c3 = store.search(certificateSearchSchema.parse({ expression: { field: 'subjectCN', operator: 'FIND', value: 'c3.batch' }, paging: { pageNumber: 0, pageSize: 10 } })).certificates[0]!;
    store.putCertificate({ ...c3, subjectCN: ['third.batch.example'] }, 'PEM c3');
    expect(names('third.batch')).toEqual(['c3']);
    expect(indexed().rows).toBe(BATCH);

    const before = indexed();
    expect(() =>
      store.transaction(() => {
        for (let i = 0; i < BATCH; i++) put(`gone${i}`);
        expect(indexed()).toEqual(before); // nothing committed yet
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    expect(indexed()).toEqual(before);
    expect(names('gone')).toEqual([]);
    for (let i = 0; i < BATCH; i++) put(`kept${i}`);
    expect(names('kept1')).toHaveLength(11); // kept1, kept10 ... kept19
    expect(indexed().through).toBeGreaterThan(before.through);
  });

  it('an inventory written before batches counts everything in it as indexed', () => {
    const count = indexed().rows;
    store.close();
    const db = new DatabaseSync(file);
    db.exec("DELETE FROM meta WHERE key = 'names_fts_indexed_through'");
    const { top } = db.prepare('SELECT max(rid) AS top FROM certificates').get() as { top: number };
    db.close();
    store = openInventoryStore(file);
    expect(indexed()).toEqual({ rows: count, through: top });
    expect(names('late.batch')).toEqual(['late']);
  });
});
