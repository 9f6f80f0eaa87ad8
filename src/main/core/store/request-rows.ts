import type { CertificateRequestRecord, StatusChange } from '../../../shared/certificate-request';
import type { RequestStatus } from '../../../shared/statuses';
import { stripUndefined, type Row, type SqlContext } from './sql-context';
import { StoreNotFoundError, type RequestPatch } from './store-types';

/** The certificate_requests table: a request's record as JSON, with its status and dates indexed. */
export class RequestRows {
  constructor(private readonly sql: SqlContext) {}


  insert(rec: CertificateRequestRecord): void {
    this.sql.stmt('INSERT INTO certificate_requests (id, status, application_id, creation_date, record) VALUES (?, ?, ?, ?, ?)').run(
      rec.id,
      rec.status,
      rec.applicationId,
      rec.creationDate,
      JSON.stringify(rec),
    );
  }

  /**
   * Applies `patch`, sets modificationDate, and when `statusChange` is given sets the status and
   * appends it (with the time now) to statusHistory. Returns the updated record. `known`: the
   * record as this same transaction last wrote it, so it is not read and parsed again.
   */
  update(id: string, patch: RequestPatch, statusChange?: { status: RequestStatus; message?: string }, known?: CertificateRequestRecord): CertificateRequestRecord {
    return this.sql.transaction(() => {
      const current = known?.id === id ? known : this.get(id);
      if (!current) throw new StoreNotFoundError('certificate request', id);
      const next = changedRequest(current, patch, statusChange);
      this.sql.stmt('UPDATE certificate_requests SET status = ?, application_id = ?, record = ? WHERE id = ?').run(next.status, next.applicationId, JSON.stringify(next), id);
      return next;
    });
  }

  get(id: string): CertificateRequestRecord | undefined {
    const row = this.sql.stmt('SELECT record FROM certificate_requests WHERE id = ?').get(id) as Row | undefined;
    return row ? (JSON.parse(String(row.record)) as CertificateRequestRecord) : undefined;
  }

  /** Requests in any of these statuses, oldest first: what to resume after a crash. */
  listByStatus(statuses: readonly RequestStatus[]): CertificateRequestRecord[] {
    if (statuses.length === 0) return [];
    const rows = this.sql
      .prepare(`SELECT record FROM certificate_requests WHERE status IN (${statuses.map(() => '?').join(', ')}) ORDER BY creation_date, id`)
      .all(...statuses) as Row[];
    return rows.map((r) => JSON.parse(String(r.record)) as CertificateRequestRecord);
  }

  /** The newest requests first, optionally only those in `statuses`: the Requests page. */
  listRecent(statuses: readonly RequestStatus[] | undefined, limit: number): CertificateRequestRecord[] {
    const where = statuses && statuses.length > 0 ? `WHERE status IN (${statuses.map(() => '?').join(', ')})` : '';
    const rows = this.sql.prepare(`SELECT record FROM certificate_requests ${where} ORDER BY creation_date DESC, id LIMIT ?`).all(...(statuses ?? []), limit) as Row[];
    return rows.map((r) => JSON.parse(String(r.record)) as CertificateRequestRecord);
  }
}

/**
 * The record after `patch` and, when given, a status change (appended to statusHistory with the
 * time now), modificationDate set: what `update` writes. On its own for a step whose record is
 * written by the next step of the same transaction, so the row is written once.
 */
export function changedRequest(current: CertificateRequestRecord, patch: RequestPatch, statusChange?: { status: RequestStatus; message?: string }): CertificateRequestRecord {
  const now = new Date().toISOString();
  const next: CertificateRequestRecord = { ...current, ...stripUndefined(patch), id: current.id, modificationDate: now };
  if (statusChange) {
    const change: StatusChange = { status: statusChange.status, at: now };
    if (statusChange.message !== undefined) change.message = statusChange.message;
    next.status = statusChange.status;
    next.statusHistory = [...current.statusHistory, change];
  }
  return next;
}
