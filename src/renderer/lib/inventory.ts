import { satelliteRenewalWindow, type CertificateRecord } from '../../shared';

/** What the inventory shows as one status, most important first. */
export type DisplayStatus = 'REVOKED' | 'EXPIRED' | 'RETIRED' | 'ACTIVE';
export const DISPLAY_STATUSES: readonly DisplayStatus[] = ['ACTIVE', 'EXPIRED', 'REVOKED', 'RETIRED'];

export function displayStatus(c: CertificateRecord, now: number): DisplayStatus {
  if (c.revocationStatus === 'REVOKED') return 'REVOKED';
  if (Date.parse(c.validityEnd) <= now) return 'EXPIRED';
  if (c.certificateStatus !== 'ACTIVE') return 'RETIRED';
  return 'ACTIVE';
}

/** A certificate made ready for instant search: the strings people type, lower-cased once. */
export interface InventoryRow {
  certificate: CertificateRecord;
  commonName: string;
  sans: string[];
  status: DisplayStatus;
  validityEndMs: number;
  /** When the satellite's renewal rule says to start renewing (two thirds of the lifetime). */
  renewalStartMs: number;
  haystack: string;
}

export function sansOf(c: CertificateRecord): string[] {
  const s = c.subjectAlternativeNamesByType;
  return [...(s.dNSName ?? []), ...(s.iPAddress ?? []), ...(s.rfc822Name ?? []), ...(s.uniformResourceIdentifier ?? [])];
}

export function toInventoryRow(c: CertificateRecord, now: number): InventoryRow {
  const commonName = c.subjectCN[0] ?? '';
  const sans = sansOf(c);
  // \u0000 separates fields so a query never matches across two of them.
  const haystack = [commonName, ...c.subjectCN.slice(1), ...sans, c.fingerprint, c.sha256Fingerprint, c.serialNumber].join('\u0000').toLowerCase();
  return { certificate: c, commonName, sans, status: displayStatus(c, now), validityEndMs: Date.parse(c.validityEnd), renewalStartMs: satelliteRenewalWindow(c).start.getTime(), haystack };
}

export interface InventoryFilter {
  query: string;
  statuses: DisplayStatus[];
  applicationId: string | null;
  expiringWithinDays: number | null;
  /** Only active certificates whose renewal window (the satellite's rule) has opened and that were not renewed yet. */
  renewalDue: boolean;
  /** 'ca': CA certificates only; 'end-entity': the others; null: both. */
  kind: 'ca' | 'end-entity' | null;
}

export const EMPTY_FILTER: InventoryFilter = { query: '', statuses: [], applicationId: null, expiringWithinDays: null, renewalDue: false, kind: null };

/** Fingerprints and serials are often pasted with colons or spaces: match them without. */
function normaliseQuery(q: string): string {
  const t = q.trim().toLowerCase();
  return /^[0-9a-f]{2}([:\s][0-9a-f]{2})+$/.test(t) ? t.replace(/[:\s]/g, '') : t;
}

export function filterInventory(rows: readonly InventoryRow[], f: InventoryFilter, now: number): InventoryRow[] {
  const q = normaliseQuery(f.query);
  const statuses = f.statuses.length > 0 ? new Set(f.statuses) : null;
  const until = f.expiringWithinDays === null ? null : now + f.expiringWithinDays * 86_400_000;
  return rows.filter(
    (r) =>
      (q === '' || r.haystack.includes(q)) &&
      // Retired certificates leave the list, as in the cloud, until the status filter asks for them.
      (statuses === null ? r.status !== 'RETIRED' : statuses.has(r.status)) &&
      (f.applicationId === null || r.certificate.applicationIds.includes(f.applicationId)) &&
      (until === null || (r.status === 'ACTIVE' && r.validityEndMs <= until)) &&
      (f.kind === null || (f.kind === 'ca') === r.certificate.isCA) &&
      (!f.renewalDue || (r.status === 'ACTIVE' && r.renewalStartMs <= now && !r.certificate.successorCertificateId)),
  );
}
