// node:sqlite (DatabaseSync) rather than better-sqlite3: it ships inside Node 24 and therefore
// inside Electron 45, so there is no native module to rebuild for every Electron version, and
// the headless satellite, the tests and the app all run the very same SQLite.
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CertificateRecord } from '../../../shared/certificate';
import type { CertificateRequestRecord, StatusChange } from '../../../shared/certificate-request';
import type { CertificateSearchParsed } from '../../../shared/search';
import type { RequestStatus } from '../../../shared/statuses';
import type { InventoryStatus } from '../../../shared/services-status';
import { ERROR_CODES } from '../../../shared/error-codes';
import { SatelliteError } from '../common/errors';
import { DiskReserve } from './disk-reserve';
import { isDamageError, quickCheck, StoreDamagedError } from './inventory-health';
import { migrate, NAMES_FTS_TABLE } from './schema';
import { compileSearch, normalizeHex } from './search-sql';

/** Fields of a request the pipeline may change; status changes only through `statusChange`, so the history stays complete. */
export type RequestPatch = Partial<Omit<CertificateRequestRecord, 'id' | 'status' | 'statusHistory' | 'creationDate' | 'modificationDate'>>;

/** Fields of a certificate that change after it is stored (revocation, renewal links, applications). */
export type CertificatePatch = Partial<Omit<CertificateRecord, 'id' | 'creationDate' | 'modificationDate'>>;

export interface KeyBlob {
  recordId: string;
  dekHash: string;
  blob: Buffer;
  createdAt: string;
}

export interface SealedSecret {
  secretId: string;
  dekHash: string;
  blob: Buffer;
}

export interface InventoryCounts {
  requests: number;
  certificates: number;
  keyBlobs: number;
  secrets: number;
}

export interface SearchResult {
  /** Every match, before paging. */
  count: number;
  /** The requested page. */
  certificates: CertificateRecord[];
}

export interface InventoryStoreOptions {
  /** false: search by LIKE scans even when the trigram index exists (it is still maintained). For tests and diagnosis. */
  fullTextIndex?: boolean;
}

/** A missing record: the message names the kind and the id. */
export class StoreNotFoundError extends Error {
  constructor(
    readonly kind: 'certificate request' | 'certificate',
    readonly id: string,
  ) {
    super(`No ${kind} with id ${id} in the inventory`);
    this.name = 'StoreNotFoundError';
  }
}

type Row = Record<string, SQLInputValue | undefined>;

/** Every commit waits for the disk unless a transaction says otherwise (`durable: false`). */
const DURABLE_SYNC = 'FULL';

const toBuffer = (v: unknown): Buffer => Buffer.from(v as Uint8Array);

/**
 * The satellite's inventory: requests, certificates, sealed key blobs and sealed secrets in one
 * SQLite file. WAL with synchronous=FULL: once a write method returns, the change survives a
 * crash or power loss. Every method is synchronous; wrap several in `transaction` to make them
 * one atomic change.
 *
 * Key blobs are keyed by the record that owns the key: the request id when the satellite made
 * the key, or the certificate id for an imported key.
 */
export class InventoryStore {
  private readonly statements = new Map<string, StatementSync>();
  private depth = 0;
  /** Changes waiting for the next group commit (see groupTransaction). */
  private pendingGroup: { fn: () => unknown; durable: boolean; resolve(value: unknown): void; reject(error: unknown): void }[] | undefined;
  /** The trigram table exists and is kept in step with certificates. */
  private readonly hasFullText: boolean;
  /** Substring searches go through it. */
  private readonly fullText: boolean;
  /** Room kept back for the outcomes of work under way when the disk fills (disk-reserve.ts). */
  private readonly reserve: DiskReserve;
  /** Set once the file is known to be damaged: every write is refused from then on. */
  private damage: StoreDamagedError | undefined;

  constructor(
    private readonly db: DatabaseSync,
    options: InventoryStoreOptions = {},
    /** The inventory file, for messages that name it. */
    private readonly location = ':memory:',
  ) {
    this.reserve = new DiskReserve(location === ':memory:' ? undefined : `${location}.reserve`);
    this.hasFullText = this.probeFullText();
    this.fullText = this.hasFullText && options.fullTextIndex !== false;
  }

  // ---- transactions ---------------------------------------------------------------------

  /**
   * Runs `fn` as one atomic change: all of it is durable when this returns, none of it if `fn`
   * throws. Nested calls become savepoints. `fn` must be synchronous (a transaction cannot stay
   * open across an await); returning a promise is refused and rolled back.
   *
   * `{ durable: false }` (outermost call only) commits without waiting for the disk: the change
   * is atomic and survives the process being killed (it is in the WAL, in the OS's cache), but a
   * power loss may undo it until the next durable commit, which syncs it along with its own (the
   * WAL is synced as a whole, in order). For what no one has been told about yet, such as a
   * request that has not been answered.
   */
  transaction<T>(fn: () => T, options: { durable?: boolean } = {}): T {
    if (this.damage) throw this.damage;
    const nested = this.depth > 0;
    const relaxed = !nested && options.durable === false;
    const savepoint = `sp${this.depth}`;
    if (relaxed) this.db.exec('PRAGMA synchronous = NORMAL');
    try {
      this.db.exec(nested ? `SAVEPOINT ${savepoint}` : 'BEGIN IMMEDIATE');
      // Depth goes back down exactly once, whichever step fails: a COMMIT that throws
      // (SQLITE_FULL) must not leave the store believing it is still inside a transaction.
      this.depth++;
      try {
        const result = fn();
        if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
          throw new TypeError('InventoryStore.transaction(fn): fn returned a promise; do the async work first, then call transaction with synchronous store calls');
        }
        this.db.exec(nested ? `RELEASE ${savepoint}` : 'COMMIT');
        return result;
      } catch (e) {
        this.undo(nested, savepoint);
        throw this.explain(e);
      } finally {
        this.depth--;
      }
    } catch (e) {
      const explained = this.explain(e);
      if (explained instanceof StoreDiskFullError) this.reserve.release();
      throw explained;
    } finally {
      if (relaxed) this.db.exec(`PRAGMA synchronous = ${DURABLE_SYNC}`);
    }
  }

  /**
   * The disk filled and there is no room yet for new work: refuse to start any (StoreDiskFullError),
   * so the room kept back goes to the outcomes of work already under way. Turns false by itself
   * once space is back.
   */
  get diskFull(): boolean {
    return this.reserve.full;
  }

  /** Why the inventory cannot be trusted, once it is known; undefined while it is sound. */
  get damaged(): StoreDamagedError | undefined {
    return this.damage;
  }

  /** The inventory as Services shows it: sound, out of room, or damaged, with the file named. */
  health(): InventoryStatus {
    const file = this.location;
    if (this.damage) return { state: 'damaged', file, message: `Inventory damaged: ${this.damage.problem}. Writes are refused so nothing more is lost.`, nextStep: `Stop the satellite and put back a copy of ${file} (keys stay sealed under the DEK), or move it aside to start with an empty inventory.` };
    if (this.diskFull) return { state: 'disk-full', file, message: `Disk full at ${dirname(file)}: new requests are refused until there is room.`, nextStep: `Free space on the disk that holds ${dirname(file)}; the satellite goes on by itself, no restart needed.` };
    return { state: 'ok', file, message: 'The inventory is sound and has room.' };
  }

  /** The file the inventory lives in (":memory:" for a test's). */
  get file(): string {
    return this.location;
  }

  /**
   * Runs SQLite's quick_check off the event loop; a damaged file stops every write from then on.
   * Resolves with the problems found (none when sound).
   */
  async check(): Promise<string[]> {
    if (this.location === ':memory:') return [];
    const problems = (await quickCheck(this.location)).filter((p) => p !== 'ok');
    if (problems.length > 0) this.markDamaged(problems.join('; '));
    return problems;
  }

  /** From now on every write is refused with `problem`, naming the file. */
  markDamaged(problem: string): void {
    this.damage ??= new StoreDamagedError(this.location, problem);
  }

  /** A store error in the user's words; a damaged page also stops every later write. */
  private explain(error: unknown): unknown {
    if (isDamageError(error)) {
      this.markDamaged((error as Error).message);
      return this.damage;
    }
    return explainStoreError(error, this.location);
  }

  /** The refusal for new work while `diskFull`, naming the place. */
  diskFullError(): StoreDiskFullError {
    return new StoreDiskFullError(`disk full at ${dirname(this.location)}: free space and retry (nothing was stored)`);
  }

  /** Rolls back what a failed transaction did; the failure that got here is the one reported. */
  private undo(nested: boolean, savepoint: string): void {
    try {
      if (nested) this.db.exec(`ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
      else if (this.db.isTransaction) this.db.exec('ROLLBACK');
    } catch {
      // SQLite may have rolled back already (a failed COMMIT under SQLITE_FULL does): nothing is left to undo.
    }
  }

  /**
   * Group commit: runs `fn` as its own atomic change inside one transaction shared with every
   * other `groupTransaction` call made before the event loop's next turn, and resolves once that
   * transaction is durable: one disk sync for all of them, where concurrent requests would each
   * block the event loop on their own. Nothing is written before then, so no reader sees a
   * durable change before it is durable. `fn` runs later than the call, so it reads what it
   * depends on itself; if it throws, only its own change is undone and only its promise rejects.
   *
   * `{ durable: false }` is `transaction`'s: this change need not wait for the disk, and readers
   * may see it before a later durable commit syncs it. The group's commit waits for the disk
   * when any of its changes asks to.
   */
  groupTransaction<T>(fn: () => T, options: { durable?: boolean } = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (!this.pendingGroup) {
        this.pendingGroup = [];
        setImmediate(() => this.commitGroup());
      }
      this.pendingGroup.push({ fn, durable: options.durable !== false, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  private commitGroup(): void {
    const group = this.pendingGroup;
    this.pendingGroup = undefined;
    if (!group || group.length === 0) return;
    if (!this.db.isOpen) {
      for (const job of group) job.reject(new Error('the inventory was closed before this change could be written'));
      return;
    }
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      this.transaction(
        () => {
          for (const job of group) {
            try {
              outcomes.push({ ok: true, value: this.transaction(job.fn) });
            } catch (error) {
              outcomes.push({ ok: false, error });
            }
          }
        },
        { durable: group.some((job) => job.durable) },
      );
    } catch (error) {
      for (const job of group) job.reject(error);
      return;
    }
    group.forEach((job, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }

  // ---- certificate requests -------------------------------------------------------------

  insertRequest(rec: CertificateRequestRecord): void {
    this.stmt('INSERT INTO certificate_requests (id, status, application_id, creation_date, record) VALUES (?, ?, ?, ?, ?)').run(
      rec.id,
      rec.status,
      rec.applicationId,
      rec.creationDate,
      JSON.stringify(rec),
    );
  }

  /**
   * Applies `patch`, sets modificationDate, and when `statusChange` is given sets the status and
   * appends it (with the time now) to statusHistory. Returns the updated record.
   */
  updateRequest(id: string, patch: RequestPatch, statusChange?: { status: RequestStatus; message?: string }): CertificateRequestRecord {
    return this.transaction(() => {
      const current = this.getRequest(id);
      if (!current) throw new StoreNotFoundError('certificate request', id);
      const now = new Date().toISOString();
      const next: CertificateRequestRecord = { ...current, ...stripUndefined(patch), id, modificationDate: now };
      if (statusChange) {
        const change: StatusChange = { status: statusChange.status, at: now };
        if (statusChange.message !== undefined) change.message = statusChange.message;
        next.status = statusChange.status;
        next.statusHistory = [...current.statusHistory, change];
      }
      this.stmt('UPDATE certificate_requests SET status = ?, application_id = ?, record = ? WHERE id = ?').run(next.status, next.applicationId, JSON.stringify(next), id);
      return next;
    });
  }

  getRequest(id: string): CertificateRequestRecord | undefined {
    const row = this.stmt('SELECT record FROM certificate_requests WHERE id = ?').get(id) as Row | undefined;
    return row ? (JSON.parse(String(row.record)) as CertificateRequestRecord) : undefined;
  }

  /** Requests in any of these statuses, oldest first: what to resume after a crash. */
  listRequestsByStatus(statuses: readonly RequestStatus[]): CertificateRequestRecord[] {
    if (statuses.length === 0) return [];
    const rows = this.db
      .prepare(`SELECT record FROM certificate_requests WHERE status IN (${statuses.map(() => '?').join(', ')}) ORDER BY creation_date, id`)
      .all(...statuses) as Row[];
    return rows.map((r) => JSON.parse(String(r.record)) as CertificateRequestRecord);
  }

  /** The newest requests first, optionally only those in `statuses`: the Requests page. */
  listRecentRequests(statuses: readonly RequestStatus[] | undefined, limit: number): CertificateRequestRecord[] {
    const where = statuses && statuses.length > 0 ? `WHERE status IN (${statuses.map(() => '?').join(', ')})` : '';
    const rows = this.db.prepare(`SELECT record FROM certificate_requests ${where} ORDER BY creation_date DESC, id LIMIT ?`).all(...(statuses ?? []), limit) as Row[];
    return rows.map((r) => JSON.parse(String(r.record)) as CertificateRequestRecord);
  }

  // ---- certificates ----------------------------------------------------------------------

  /** Inserts or replaces the certificate (by id) and its PEM, with its SAN and application index rows. */
  putCertificate(rec: CertificateRecord, pem: string): void {
    this.transaction(() => {
      const cols = certificateColumns(rec);
      this.stmt(
        `INSERT INTO certificates (id, cn_lower, issuer_dn_lower, validity_start, validity_end, fingerprint, sha256, serial, status, revocation,
           request_id, template_id, key_type, dek_hash, is_ca, record, pem)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET cn_lower = excluded.cn_lower, issuer_dn_lower = excluded.issuer_dn_lower,
           validity_start = excluded.validity_start, validity_end = excluded.validity_end, fingerprint = excluded.fingerprint,
           sha256 = excluded.sha256, serial = excluded.serial, status = excluded.status, revocation = excluded.revocation,
           request_id = excluded.request_id, template_id = excluded.template_id, key_type = excluded.key_type,
           dek_hash = excluded.dek_hash, is_ca = excluded.is_ca, record = excluded.record, pem = excluded.pem`,
      ).run(...cols, pem);
      const { rid } = this.stmt('SELECT rid FROM certificates WHERE id = ?').get(rec.id) as { rid: number };

      this.stmt('DELETE FROM certificate_sans WHERE cert_id = ?').run(rec.id);
      const sans = sanRows(rec);
      for (const [type, value] of sans) this.stmt('INSERT INTO certificate_sans (cert_id, type, value) VALUES (?, ?, ?)').run(rec.id, type, value);

      this.stmt('DELETE FROM certificate_applications WHERE cert_id = ?').run(rec.id);
      for (const appId of new Set(rec.applicationIds)) this.stmt('INSERT INTO certificate_applications (cert_id, app_id) VALUES (?, ?)').run(rec.id, appId);

      if (this.hasFullText) {
        this.stmt(`DELETE FROM ${NAMES_FTS_TABLE} WHERE rowid = ?`).run(rid);
        this.stmt(`INSERT INTO ${NAMES_FTS_TABLE} (rowid, cn, sans) VALUES (?, ?, ?)`).run(rid, cols[1] as string, sans.map(([, v]) => v).join('\n'));
      }
    });
  }

  /** Merges `patch` into the stored record (keeping its PEM) and returns the result. */
  updateCertificate(id: string, patch: CertificatePatch): CertificateRecord {
    return this.transaction(() => {
      const current = this.getCertificate(id);
      const pem = this.getCertificatePem(id);
      if (!current || pem === undefined) throw new StoreNotFoundError('certificate', id);
      const next: CertificateRecord = { ...current, ...stripUndefined(patch), id, modificationDate: new Date().toISOString() };
      this.putCertificate(next, pem);
      return next;
    });
  }

  getCertificate(id: string): CertificateRecord | undefined {
    const row = this.stmt('SELECT record FROM certificates WHERE id = ?').get(id) as Row | undefined;
    return row ? (JSON.parse(String(row.record)) as CertificateRecord) : undefined;
  }

  getCertificatePem(id: string): string | undefined {
    const row = this.stmt('SELECT pem FROM certificates WHERE id = ?').get(id) as Row | undefined;
    return row ? String(row.pem) : undefined;
  }

  /** By SHA-1 `fingerprint`, or by SHA-256 when given 64 hex digits; colons and case do not matter. */
  findCertificateByFingerprint(fingerprint: string): CertificateRecord | undefined {
    const fp = normalizeHex(fingerprint);
    const column = fp.length === 64 ? 'sha256' : 'fingerprint';
    const row = this.stmt(`SELECT record FROM certificates WHERE ${column} = ? ORDER BY rid LIMIT 1`).get(fp) as Row | undefined;
    return row ? (JSON.parse(String(row.record)) as CertificateRecord) : undefined;
  }

  /** Whether a certificate with this serial (hex, any case) is in the inventory (the built-in CA's are 128-bit random). */
  hasCertificateWithSerial(serialHex: string): boolean {
    return this.stmt('SELECT 1 FROM certificates WHERE serial = ? LIMIT 1').get(normalizeHex(serialHex)) !== undefined;
  }

  /** Certificates issued for this request (usually one; more after re-issue). */
  listCertificatesByRequest(requestId: string): CertificateRecord[] {
    const rows = this.stmt('SELECT record FROM certificates WHERE request_id = ? ORDER BY rid').all(requestId) as Row[];
    return rows.map((r) => JSON.parse(String(r.record)) as CertificateRecord);
  }

  /**
   * How many end-entity certificates are active, unexpired, not renewed yet and past two thirds of
   * their lifetime at `nowMs`: satelliteRenewalWindow (src/shared/renewal.ts) as SQL, so 100,000
   * rows are counted without reading their records. The spec checks both agree.
   */
  countRenewalDue(nowMs: number): number {
    const row = this.stmt(
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
    const compiled = compileSearch(q, { fullText: this.fullText });
    const { n } = this.db.prepare(`SELECT count(*) AS n FROM certificates c WHERE ${compiled.where}`).get(...compiled.params) as { n: number };
    const rows = this.db
      .prepare(`SELECT c.record FROM certificates c WHERE ${compiled.where} ORDER BY ${compiled.orderBy} LIMIT ? OFFSET ?`)
      .all(...compiled.params, compiled.limit, compiled.offset) as Row[];
    return { count: n, certificates: rows.map((r) => JSON.parse(String(r.record)) as CertificateRecord) };
  }

  /**
   * Deletes the certificate and, in the same transaction, its key: the blob keyed by the
   * certificate id, and the blob keyed by its request id unless another certificate still uses
   * that request's key. Returns false when there was no such certificate.
   */
  deleteCertificate(id: string): boolean {
    return this.transaction(() => {
      const row = this.stmt('SELECT rid, request_id FROM certificates WHERE id = ?').get(id) as { rid: number; request_id: string | null } | undefined;
      if (!row) return false;
      this.stmt('DELETE FROM key_blobs WHERE record_id = ?').run(id);
      if (row.request_id) {
        const others = this.stmt('SELECT count(*) AS n FROM certificates WHERE request_id = ? AND id <> ?').get(row.request_id, id) as { n: number };
        if (others.n === 0) this.stmt('DELETE FROM key_blobs WHERE record_id = ?').run(row.request_id);
      }
      if (this.hasFullText) this.stmt(`DELETE FROM ${NAMES_FTS_TABLE} WHERE rowid = ?`).run(row.rid);
      this.stmt('DELETE FROM certificates WHERE id = ?').run(id);
      return true;
    });
  }

  // ---- sealed key blobs -------------------------------------------------------------------

  /** Stores (or replaces, e.g. on DEK rotation) the sealed private key of `recordId`. */
  putKeyBlob(recordId: string, dekHash: string, blob: Uint8Array): void {
    this.stmt(
      `INSERT INTO key_blobs (record_id, dek_hash, blob, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(record_id) DO UPDATE SET dek_hash = excluded.dek_hash, blob = excluded.blob`,
    ).run(recordId, dekHash, blob, new Date().toISOString());
  }

  getKeyBlob(recordId: string): KeyBlob | undefined {
    const row = this.stmt('SELECT record_id, dek_hash, blob, created_at FROM key_blobs WHERE record_id = ?').get(recordId) as Row | undefined;
    if (!row) return undefined;
    return { recordId: String(row.record_id), dekHash: String(row.dek_hash), blob: toBuffer(row.blob), createdAt: String(row.created_at) };
  }

  deleteKeyBlob(recordId: string): boolean {
    return Number(this.stmt('DELETE FROM key_blobs WHERE record_id = ?').run(recordId).changes) > 0;
  }

  /** Every blob's id and DEK, without the bytes: what DEK rotation and orphan checks walk. */
  listKeyBlobs(): { recordId: string; dekHash: string }[] {
    const rows = this.stmt('SELECT record_id, dek_hash FROM key_blobs ORDER BY record_id').all() as Row[];
    return rows.map((r) => ({ recordId: String(r.record_id), dekHash: String(r.dek_hash) }));
  }

  // ---- sealed secrets (connector credentials) ----------------------------------------------

  putSecret(secretId: string, dekHash: string, blob: Uint8Array): void {
    this.stmt('INSERT INTO secrets (secret_id, dek_hash, blob) VALUES (?, ?, ?) ON CONFLICT(secret_id) DO UPDATE SET dek_hash = excluded.dek_hash, blob = excluded.blob').run(
      secretId,
      dekHash,
      blob,
    );
  }

  getSecret(secretId: string): SealedSecret | undefined {
    const row = this.stmt('SELECT secret_id, dek_hash, blob FROM secrets WHERE secret_id = ?').get(secretId) as Row | undefined;
    return row ? { secretId: String(row.secret_id), dekHash: String(row.dek_hash), blob: toBuffer(row.blob) } : undefined;
  }

  deleteSecret(secretId: string): boolean {
    return Number(this.stmt('DELETE FROM secrets WHERE secret_id = ?').run(secretId).changes) > 0;
  }

  /** Every secret's id and DEK, without the bytes (for DEK rotation). */
  listSecrets(): { secretId: string; dekHash: string }[] {
    const rows = this.stmt('SELECT secret_id, dek_hash FROM secrets ORDER BY secret_id').all() as Row[];
    return rows.map((r) => ({ secretId: String(r.secret_id), dekHash: String(r.dek_hash) }));
  }

  // ---- meta --------------------------------------------------------------------------------

  getMeta(key: string): string | undefined {
    const row = this.stmt('SELECT value FROM meta WHERE key = ?').get(key) as Row | undefined;
    return row ? String(row.value) : undefined;
  }

  setMeta(key: string, value: string): void {
    this.stmt('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** Removes a meta entry (e.g. the last backup date once that backup's DEK is retired); false when absent. */
  deleteMeta(key: string): boolean {
    return Number(this.stmt('DELETE FROM meta WHERE key = ?').run(key).changes) > 0;
  }

  counts(): InventoryCounts {
    const n = (table: string): number => Number((this.stmt(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n);
    return { requests: n('certificate_requests'), certificates: n('certificates'), keyBlobs: n('key_blobs'), secrets: n('secrets') };
  }

  /** Whether CN/SAN substring search uses the trigram index (false: LIKE scans). */
  get usesFullTextIndex(): boolean {
    return this.fullText;
  }

  close(): void {
    if (!this.db.isOpen) return;
    this.commitGroup();
    this.statements.clear();
    this.db.close();
  }

  // ---- internals -----------------------------------------------------------------------------

  private stmt(sql: string): StatementSync {
    if (this.damage && !sql.startsWith('SELECT')) throw this.damage;
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  private probeFullText(): boolean {
    try {
      this.db.prepare(`SELECT rowid FROM ${NAMES_FTS_TABLE} LIMIT 0`).all();
      return true;
    } catch {
      return false;
    }
  }
}

function stripUndefined<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
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

/**
 * Opens (creating and migrating when needed) the inventory at `path`. The file is private to
 * the user (0600); it holds only sealed key material, but still names every certificate.
 */
/** The disk is full: the message says where and what to do; the store works again once there is room. */
export class StoreDiskFullError extends SatelliteError {
  override name = 'StoreDiskFullError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(ERROR_CODES.DISK_FULL, message, 507);
    if (options) this.cause = options.cause;
  }
}

/** SQLITE_FULL in the user's words, naming the place; every other error as it was. */
export function explainStoreError(error: unknown, location: string): unknown {
  if (error instanceof StoreDiskFullError) return error;
  const sqlite = error as { errcode?: number; message?: string };
  if (sqlite?.errcode === 13 || /database or disk is full/i.test(sqlite?.message ?? '')) {
    return new StoreDiskFullError(`disk full at ${dirname(location)}: free space and retry (the inventory ${location} is unchanged)`, { cause: error });
  }
  return error;
}

export function openInventoryStore(path: string, options: InventoryStoreOptions = {}): InventoryStore {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(path, 'a', 0o600));
  }
  const db = new DatabaseSync(path, { enableForeignKeyConstraints: true, timeout: 5000 });
  try {
    db.exec('PRAGMA journal_mode = WAL');
    // FULL in WAL mode syncs the log on every commit: an acknowledged write survives power loss.
    db.exec(`PRAGMA synchronous = ${DURABLE_SYNC}`);
    db.exec('PRAGMA foreign_keys = ON');
    migrate(db);
  } catch (e) {
    db.close();
    if (!isDamageError(e)) throw e;
    // Too damaged to open: the satellite still starts, so Services can say what is wrong and how
    // to get out of it; it shows an empty inventory and refuses every write. The file is untouched.
    const empty = new DatabaseSync(':memory:');
    migrate(empty);
    const store = new InventoryStore(empty, options, path);
    store.markDamaged((e as Error).message);
    return store;
  }
  return new InventoryStore(db, options, path);
}
