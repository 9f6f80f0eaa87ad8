import { describe, expect, it } from 'vitest';
import type { CertificateRecord } from '../../shared';
import { EMPTY_FILTER, filterInventory, toInventoryRow } from './inventory';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const DAY = 86_400_000;
const APP_A = '11111111-1111-4111-8111-111111111111';
const APP_B = '22222222-2222-4222-8222-222222222222';

function cert(i: number, over: Partial<CertificateRecord> = {}): CertificateRecord {
  const hex = i.toString(16).toUpperCase().padStart(4, '0');
  return {
    id: `00000000-0000-4000-8000-${hex.padStart(12, '0')}`,
    companyId: 'c',
    applicationIds: [i % 2 ? APP_A : APP_B],
    subjectCN: [`host${i}.example.com`],
    subjectDN: `CN=host${i}.example.com`,
    issuerDN: 'CN=Satellite CA',
    subjectAlternativeNamesByType: { otherName: [], rfc822Name: [], dNSName: [`host${i}.example.com`, `alt${i}.example.org`], x400Address: [], directoryName: [], ediPartyName: [], uniformResourceIdentifier: [], iPAddress: [`10.0.${i % 256}.1`], registeredID: [] },
    serialNumber: `0A${hex}`,
    fingerprint: `AB${hex}CD`.padEnd(40, '0'),
    sha256Fingerprint: `EF${hex}`.padEnd(64, '1'),
    validityStart: new Date(NOW - DAY).toISOString(),
    validityEnd: new Date(NOW + (i % 100) * DAY + 1000).toISOString(),
    keyType: 'RSA',
    keyStrength: 2048,
    certificateStatus: 'ACTIVE',
    revocationStatus: 'NOT_REVOKED',
    isCA: false,
    chainCertificateIds: [],
    certificateName: `host${i}.example.com`,
    creationDate: '',
    modificationDate: '',
    ...over,
  };
}

describe('inventory filtering', () => {
  const rows = Array.from({ length: 10_000 }, (_, i) => toInventoryRow(cert(i), NOW));

  it('finds by CN, SAN, IP, fingerprint (with or without colons) and serial substring, case-insensitively', () => {
    const q = (query: string) => filterInventory(rows, { ...EMPTY_FILTER, query }, NOW).map((r) => r.commonName);
    expect(q('HOST1234.example')).toEqual(['host1234.example.com']);
    expect(q('alt42.example.org')).toEqual(['host42.example.com']);
    expect(q('ab04d2cd')).toEqual(['host1234.example.com']);
    expect(q('AB:04:D2:CD')).toEqual(['host1234.example.com']);
    expect(q('0a04d2')).toEqual(['host1234.example.com']);
    expect(q('10.0.7.1').length).toBeGreaterThan(1);
  });

  it('does not match across two fields', () => {
    expect(filterInventory(rows, { ...EMPTY_FILTER, query: 'comhost' }, NOW)).toEqual([]);
  });

  it('filters by status, application and expiring-within', () => {
    const mixed = [
      toInventoryRow(cert(1, { revocationStatus: 'REVOKED' }), NOW),
      toInventoryRow(cert(2, { validityEnd: new Date(NOW - DAY).toISOString() }), NOW),
      toInventoryRow(cert(3, { validityEnd: new Date(NOW + 5 * DAY).toISOString() }), NOW),
      toInventoryRow(cert(4, { validityEnd: new Date(NOW + 50 * DAY).toISOString() }), NOW),
    ];
    expect(mixed.map((r) => r.status)).toEqual(['REVOKED', 'EXPIRED', 'ACTIVE', 'ACTIVE']);
    expect(filterInventory(mixed, { ...EMPTY_FILTER, statuses: ['EXPIRED', 'REVOKED'] }, NOW).map((r) => r.commonName)).toEqual(['host1.example.com', 'host2.example.com']);
    expect(filterInventory(mixed, { ...EMPTY_FILTER, applicationId: APP_A }, NOW).map((r) => r.commonName)).toEqual(['host1.example.com', 'host3.example.com']);
    // Expired or revoked certificates are not "expiring": nobody needs to renew them.
    expect(filterInventory(mixed, { ...EMPTY_FILTER, expiringWithinDays: 30 }, NOW).map((r) => r.commonName)).toEqual(['host3.example.com']);
  });

  it('filters to what is due for renewal: active certificates past two thirds of their lifetime, not renewed yet', () => {
    const lifetime = (days: number, elapsed: number, over: Partial<CertificateRecord> = {}) =>
      ({ validityStart: new Date(NOW - elapsed * DAY).toISOString(), validityEnd: new Date(NOW + (days - elapsed) * DAY).toISOString(), ...over }) as Partial<CertificateRecord>;
    const mixed = [
      toInventoryRow(cert(1, lifetime(90, 59)), NOW), // day 59 of 90: not yet
      toInventoryRow(cert(2, lifetime(90, 61)), NOW), // day 61 of 90: due
      toInventoryRow(cert(3, lifetime(365, 250)), NOW), // day 250 of 365: due
      toInventoryRow(cert(4, lifetime(90, 70, { revocationStatus: 'REVOKED' })), NOW), // revoked: nothing to renew
      toInventoryRow(cert(5, lifetime(90, 95)), NOW), // expired: shown as EXPIRED, not "due"
      toInventoryRow(cert(6, lifetime(90, 70, { successorCertificateId: 'renewed' })), NOW), // renewed already
    ];
    expect(filterInventory(mixed, { ...EMPTY_FILTER, renewalDue: true }, NOW).map((r) => r.commonName)).toEqual(['host2.example.com', 'host3.example.com']);
  });

  it('searches 10,000 certificates well within a frame', () => {
    const started = performance.now();
    for (const query of ['h', 'ho', 'hos', 'host', 'host9', 'host99', 'host999']) filterInventory(rows, { ...EMPTY_FILTER, query }, NOW);
    // Seven keystrokes; the UI budget is 100 ms for one search.
    expect((performance.now() - started) / 7).toBeLessThan(20);
  });
});
