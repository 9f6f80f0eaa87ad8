import type { SQLInputValue } from 'node:sqlite';
import type { CertificateRecord } from '../../../shared/certificate';
import type { CertificateSearchParsed } from '../../../shared/search';
import { NAMES_FTS_TABLE } from './schema';
import { compileSearch, normalizeHex } from './search-sql';
import { stripUndefined, type Row, type SqlContext } from './sql-context';
import { StoreNotFoundError, type CertificatePatch, type SearchResult } from './store-types';

/** The meta entry holding the last certificate rid in the trigram table (see indexPendingNames). */
const NAMES_INDEXED_THROUGH = 'names_fts_indexed_through';

/**
 * New certificates go into the trigram table this many at a time. FTS5 writes a segment of its
 * own for every transaction that adds to it, and merges them: added one certificate per commit,
 * that was 3.8 of the 33.8 WAL pages a commit wrote at concurrency 8, and 70 us of CPU per insert
 * and commit. Until its batch is written a certificate is found by its rid (see search).
 */
const NAMES_BATCH = 32;

/** Where the trigram table's rows end: the rid written last, in the meta table. */
interface NamesWatermark {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

/**
 * The certificates table: the record as JSON and its PEM, with the columns searches filter on,
 * the SAN and application index rows, and the trigram table for CN/SAN substrings.
 */
export class CertificateRows {
  constructor(
    private readonly sql: SqlContext,
    /** indexed: the trigram table exists and is kept in step; searched: substring searches use it. */
    private readonly fullText: { indexed: boolean; searched: boolean },
    private readonly meta: NamesWatermark,
  ) {
    // An inventory written before batches had every certificate in the table as it was stored:
    // batches start after its last one. Should this write fail (a full disk), the store goes on
    // adding each certificate at once, as it did before (see namesIndexedThrough).
    if (fullText.indexed && meta.get(NAMES_INDEXED_THROUGH) === undefined) {
      try {
        meta.set(NAMES_INDEXED_THROUGH, String(this.lastRid()));
      } catch {
        // Left unset: every certificate counts as in the table, and put keeps it so.
      }
    }
  }

  private lastRid(): number {
    return (this.sql.stmt('SELECT coalesce(max(rid), 0) AS top FROM certificates').get() as { top: number }).top;
  }

  /**
   * The last rid in the trigram table: every certificate after it is still to be added. Read in
   * the caller's transaction, so a batch rolled back is not counted. Without the meta entry, the
   * last rid of all: each certificate is added at once.
   */
  private namesIndexedThrough(): number {
    const stored = this.meta.get(NAMES_INDEXED_THROUGH);
    return stored === undefined ? this.lastRid() : Number(stored);
  }

  /** Adds the certificates after the watermark, through `through`, to the trigram table, and moves the watermark there. */
  private indexPendingNames(from: number, through: number): void {
    this.writeNames(from, through);
    this.meta.set(NAMES_INDEXED_THROUGH, String(through));
  }

  /**
   * Writes the CN and SANs of the certificates with from < rid <= through into the trigram table,
   * in one statement: the one place that says what the table holds for a certificate. OR REPLACE:
   * a version of the satellite from before batches, run on this inventory in between, may have
   * added some of them already.
   */
  private writeNames(from: number, through: number): void {
    this.sql
      .stmt(
        `INSERT OR REPLACE INTO ${NAMES_FTS_TABLE} (rowid, cn, sans)
           SELECT c.rid, c.cn_lower, coalesce((SELECT group_concat(s.value, char(10)) FROM certificate_sans s WHERE s.cert_id = c.id), '')
             FROM certificates c WHERE c.rid > ? AND c.rid <= ? ORDER BY c.rid`,
      )
      .run(from, through);
  }

  /** Inserts or replaces the certificate (by id) and its PEM, with its SAN and application index rows. */
  put(rec: CertificateRecord, pem: string): void {
    this.sql.transaction(() => {
      const cols = certificateColumns(rec);
      const existing = this.sql.stmt('SELECT rid FROM certificates WHERE id = ?').get(rec.id) as { rid: number } | undefined;
      let rid: number;
      if (existing) {
        rid = existing.rid;
        this.sql.stmt(
          `UPDATE certificates SET cn_lower = ?, issuer_dn_lower = ?, validity_start = ?, validity_end = ?, fingerprint = ?, sha256 = ?, serial = ?,
             status = ?, revocation = ?, request_id = ?, template_id = ?, key_type = ?, dek_hash = ?, is_ca = ?, record = ?, pem = ? WHERE rid = ?`,
        ).run(...cols.slice(1), pem, rid);
        // Its index rows are written again below; a new certificate has none to remove, which
        // spares every certificate the pipeline stores three deletes (the trigram one as dear as
        // its insert).
        this.sql.stmt('DELETE FROM certificate_sans WHERE cert_id = ?').run(rec.id);
        this.sql.stmt('DELETE FROM certificate_applications WHERE cert_id = ?').run(rec.id);
        if (this.fullText.indexed) this.sql.stmt(`DELETE FROM ${NAMES_FTS_TABLE} WHERE rowid = ?`).run(rid);
      } else {
        const inserted = this.sql
          .stmt(
            `INSERT INTO certificates (id, cn_lower, issuer_dn_lower, validity_start, validity_end, fingerprint, sha256, serial, status, revocation,
               request_id, template_id, key_type, dek_hash, is_ca, record, pem)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(...cols, pem);
        rid = Number(inserted.lastInsertRowid);
      }

      const sans = sanRows(rec);
      for (const [type, value] of sans) this.sql.stmt('INSERT INTO certificate_sans (cert_id, type, value) VALUES (?, ?, ?)').run(rec.id, type, value);
      for (const appId of new Set(rec.applicationIds)) this.sql.stmt('INSERT INTO certificate_applications (cert_id, app_id) VALUES (?, ?)').run(rec.id, appId);
      if (this.fullText.indexed) {
        const through = this.namesIndexedThrough();
        if (rid <= through) {
          // At or below the watermark (a certificate changed, or a new one given a deleted
          // certificate's rid): its names are written at once, the old ones having been deleted.
          this.writeNames(rid - 1, rid);
        } else if (rid - through >= NAMES_BATCH) {
          this.indexPendingNames(through, rid);
        }
      }
    });
  }

  /** Merges `patch` into the stored record (keeping its PEM) and returns the result. */
  update(id: string, patch: CertificatePatch): CertificateRecord {
    return this.sql.transaction(() => {
      const current = this.get(id);
      const pem = this.getPem(id);
      if (!current || pem === undefined) throw new StoreNotFoundError('certificate', id);
      const next: CertificateRecord = { ...current, ...stripUndefined(patch), id, modificationDate: new Date().toISOString() };
      this.put(next, pem);
      return next;
    });
  }

  get(id: string): CertificateRecord | undefined {
    const row = this.sql.stmt('SELECT record FROM certificates WHERE id = ?').get(id) as Row | undefined;
    return row ? (JSON.parse(String(row.record)) as CertificateRecord) : undefined;
  }

  getPem(id: string): string | undefined {
    const row = this.sql.stmt('SELECT pem FROM certificates WHERE id = ?').get(id) as Row | undefined;
    return row ? String(row.pem) : undefined;
  }

  /** The id of the first certificate with this fingerprint (as findByFingerprint), without reading its record. */
  idByFingerprint(fingerprint: string): string | undefined {
    const row = this.firstByFingerprint('id', fingerprint);
    return row ? String(row.id) : undefined;
  }

  /** By SHA-1 `fingerprint`, or by SHA-256 when given 64 hex digits; colons and case do not matter. */
  findByFingerprint(fingerprint: string): CertificateRecord | undefined {
    const row = this.firstByFingerprint('record', fingerprint);
    return row ? (JSON.parse(String(row.record)) as CertificateRecord) : undefined;
  }

  private firstByFingerprint(select: 'id' | 'record', fingerprint: string): Row | undefined {
    const fp = normalizeHex(fingerprint);
    const column = fp.length === 64 ? 'sha256' : 'fingerprint';
    return this.sql.stmt(`SELECT ${select} FROM certificates WHERE ${column} = ? ORDER BY rid LIMIT 1`).get(fp) as Row | undefined;
  }

  /** Whether a certificate with this serial (hex, any case) is in the inventory (the built-in CA's are 128-bit random). */
  hasSerial(serialHex: string): boolean {
    return this.sql.stmt('SELECT 1 FROM certificates WHERE serial = ? LIMIT 1').get(normalizeHex(serialHex)) !== undefined;
  }

  /** Certificates issued for this request (usually one; more after re-issue). */
  listByRequest(requestId: string): CertificateRecord[] {
    const rows = this.sql.stmt('SELECT record FROM certificates WHERE request_id = ? ORDER BY rid').all(requestId) as Row[];
    return rows.map((r) => JSON.parse(String(r.record)) as CertificateRecord);
  }

  /**
   * How many end-entity certificates are active, unexpired, not renewed yet and past two thirds of
   * their lifetime at `nowMs`: satelliteRenewalWindow (src/shared/renewal.ts) as SQL, so 100,000
   * rows are counted without reading their records. The spec checks both agree.
   */
  countRenewalDue(nowMs: number): number {
    const row = this.sql.stmt(
      `SELECT count(*) AS n FROM certificates
         WHERE is_ca = 0 AND status = 'ACTIVE' AND revocation <> 'REVOKED' AND validity_end > ?
           AND validity_start + (validity_end - validity_start) * 2.0 / 3.0 <= ?
           AND json_extract(record, '$.successorCertificateId') IS NULL`,
    ).get(nowMs, nowMs) as { n: number };
    return row.n;
  }

  /**
   * The cloud's certificatesearch. Throws SearchQueryError (naming the part of the body) for a
   * field/operator pair that makes no sense, such as GT on subjectCN.
   */
  search(q: CertificateSearchParsed): SearchResult {
    const compiled = compileSearch(q, { fullText: this.fullText.searched, namesIndexedThrough: this.fullText.searched ? this.namesIndexedThrough() : 0 });
    const { n } = this.sql.prepare(`SELECT count(*) AS n FROM certificates c WHERE ${compiled.where}`).get(...compiled.params) as { n: number };
    const rows = this.sql
      .prepare(`SELECT c.record FROM certificates c WHERE ${compiled.where} ORDER BY ${compiled.orderBy} LIMIT ? OFFSET ?`)
      .all(...compiled.params, compiled.limit, compiled.offset) as Row[];
    return { count: n, certificates: rows.map((r) => JSON.parse(String(r.record)) as CertificateRecord) };
  }

  /**
   * Deletes the certificate and, in the same transaction, its key: the blob keyed by the
   * certificate id, and the blob keyed by its request id unless another certificate still uses
   * that request's key. Returns false when there was no such certificate.
   */
  delete(id: string): boolean {
    return this.sql.transaction(() => {
      const row = this.sql.stmt('SELECT rid, request_id FROM certificates WHERE id = ?').get(id) as { rid: number; request_id: string | null } | undefined;
      if (!row) return false;
      this.sql.stmt('DELETE FROM key_blobs WHERE record_id = ?').run(id);
      if (row.request_id) {
        const others = this.sql.stmt('SELECT count(*) AS n FROM certificates WHERE request_id = ? AND id <> ?').get(row.request_id, id) as { n: number };
        if (others.n === 0) this.sql.stmt('DELETE FROM key_blobs WHERE record_id = ?').run(row.request_id);
      }
      if (this.fullText.indexed) this.sql.stmt(`DELETE FROM ${NAMES_FTS_TABLE} WHERE rowid = ?`).run(row.rid);
      this.sql.stmt('DELETE FROM certificates WHERE id = ?').run(id);
      return true;
    });
  }
}
function dateMs(value: string, field: string, id: string): number {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new Error(`certificate ${id}: ${field} "${value}" is not an ISO 8601 date`);
  return ms;
}

/** The indexed columns, in INSERT order (without pem). */
function certificateColumns(rec: CertificateRecord): SQLInputValue[] {
  return [
    rec.id,
    rec.subjectCN.map((cn) => cn.toLowerCase()).join('\n'),
    rec.issuerDN.toLowerCase(),
    dateMs(rec.validityStart, 'validityStart', rec.id),
    dateMs(rec.validityEnd, 'validityEnd', rec.id),
    normalizeHex(rec.fingerprint),
    normalizeHex(rec.sha256Fingerprint),
    normalizeHex(rec.serialNumber),
    rec.certificateStatus,
    rec.revocationStatus,
    rec.certificateRequestId ?? null,
    rec.certificateIssuingTemplateId ?? null,
    rec.keyType,
    rec.dekHash ?? null,
    rec.isCA ? 1 : 0,
    JSON.stringify(rec),
  ];
}

function sanRows(rec: CertificateRecord): [type: 'DNS' | 'IP', value: string][] {
  const sans = rec.subjectAlternativeNamesByType;
  const rows: [type: 'DNS' | 'IP', value: string][] = [];
  for (const v of new Set((sans?.dNSName ?? []).map((s) => s.toLowerCase()))) rows.push(['DNS', v]);
  for (const v of new Set((sans?.iPAddress ?? []).map((s) => s.toLowerCase()))) rows.push(['IP', v]);
  return rows;
}
