// node:sqlite (DatabaseSync) rather than better-sqlite3: it ships inside Node 24 and therefore
// inside Electron 45, so there is no native module to rebuild for every Electron version, and
// the headless satellite, the tests and the app all run the very same SQLite.
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CertificateRecord } from '../../../shared/certificate';
import type { CertificateRequestRecord } from '../../../shared/certificate-request';
import type { CertificateSearchParsed } from '../../../shared/search';
import type { RequestStatus } from '../../../shared/statuses';
import type { InventoryStatus } from '../../../shared/services-status';
import { ERROR_CODES } from '../../../shared/error-codes';
import { SatelliteError } from '../common/errors';
import { DiskReserve } from './disk-reserve';
import { isDamageError, quickCheck, StoreDamagedError } from './inventory-health';
import { AutomationRows } from './automation-rows';
import { CertificateRows } from './certificate-rows';
import { MetaRows } from './meta-rows';
import { RequestRows } from './request-rows';
import { migrate, NAMES_FTS_TABLE } from './schema';
import { SealedRows } from './sealed-rows';
import type { SqlContext } from './sql-context';
import type { CertificatePatch, InventoryCounts, InventoryStoreOptions, KeyBlob, RequestPatch, SealedSecret, SearchResult } from './store-types';

export { StoreNotFoundError } from './store-types';
export type { CertificatePatch, InventoryCounts, InventoryStoreOptions, KeyBlob, RequestPatch, SealedSecret, SearchResult } from './store-types';

/** Every commit waits for the disk unless a transaction says otherwise (`durable: false`). */
const DURABLE_SYNC = 'FULL';

/**
 * Log pages between checkpoints (SQLite's default is 1,000). A checkpoint copies each page the log
 * holds once, however often it was rewritten, so fewer checkpoints copy fewer pages per
 * certificate: the pages at the end of each index are rewritten by nearly every commit. Measured
 * at concurrency 8, 3,000 P-256 certificates: time in COMMIT 1,178-1,311 ms at 1,000 pages,
 * 1,138-1,147 ms at 4,000; commits over 2 ms (the checkpoints among them) 104-112 against 47-51.
 * The log file stays at up to 16 MB between checkpoints.
 */
const CHECKPOINT_PAGES = 4000;

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
  // One module per table, sharing this store's statements and transactions.
  private readonly requests: RequestRows;
  private readonly certificates: CertificateRows;
  private readonly sealed: SealedRows;
  private readonly meta: MetaRows;
  /** The automations table and its history: used only by core/automation, so handed out whole. */
  readonly automations: AutomationRows;

  constructor(
    private readonly db: DatabaseSync,
    options: InventoryStoreOptions = {},
    /** The inventory file, for messages that name it. */
    private readonly location = ':memory:',
  ) {
    this.reserve = new DiskReserve(location === ':memory:' ? undefined : `${location}.reserve`);
    this.hasFullText = this.probeFullText();
    this.fullText = this.hasFullText && options.fullTextIndex !== false;
    const sql: SqlContext = { stmt: (text) => this.stmt(text), prepare: (text) => this.db.prepare(text), transaction: (fn) => this.transaction(fn) };
    this.requests = new RequestRows(sql);
    this.meta = new MetaRows(sql);
    this.certificates = new CertificateRows(sql, { indexed: this.hasFullText, searched: this.fullText }, this.meta);
    this.sealed = new SealedRows(sql);
    this.automations = new AutomationRows(sql);
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
    let answer: string[];
    try {
      answer = await quickCheck(this.location);
    } catch {
      // Busy while the satellite starts (WAL recovery, first writes): once more, a moment later.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      answer = await quickCheck(this.location);
    }
    const problems = answer.filter((p) => p !== 'ok');
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
    const durable = group.some((job) => job.durable);
    if (group.length === 1) {
      // Alone in its turn: the transaction is the change's own, so no savepoint inside it.
      const job = group[0]!;
      let value: unknown;
      try {
        value = this.transaction(job.fn, { durable });
      } catch (error) {
        job.reject(error);
        return;
      }
      job.resolve(value);
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
        { durable },
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

  // ---- certificate requests (request-rows.ts) ----------------------------------------------

  insertRequest(rec: CertificateRequestRecord): void {
    this.requests.insert(rec);
  }

  /**
   * Applies `patch`, sets modificationDate, and when `statusChange` is given sets the status and
   * appends it (with the time now) to statusHistory. Returns the updated record. `current`, when
   * given, is the record as this same transaction last wrote it, so it is not read again.
   */
  updateRequest(id: string, patch: RequestPatch, statusChange?: { status: RequestStatus; message?: string }, current?: CertificateRequestRecord): CertificateRequestRecord {
    return this.requests.update(id, patch, statusChange, current);
  }

  getRequest(id: string): CertificateRequestRecord | undefined {
    return this.requests.get(id);
  }

  /** Requests in any of these statuses, oldest first: what to resume after a crash. */
  listRequestsByStatus(statuses: readonly RequestStatus[]): CertificateRequestRecord[] {
    return this.requests.listByStatus(statuses);
  }

  /** The newest requests first, optionally only those in `statuses`: the Requests page. */
  listRecentRequests(statuses: readonly RequestStatus[] | undefined, limit: number): CertificateRequestRecord[] {
    return this.requests.listRecent(statuses, limit);
  }

  // ---- certificates (certificate-rows.ts) ----------------------------------------------------

  putCertificate(rec: CertificateRecord, pem: string): void {
    this.certificates.put(rec, pem);
  }

  updateCertificate(id: string, patch: CertificatePatch): CertificateRecord {
    return this.certificates.update(id, patch);
  }

  getCertificate(id: string): CertificateRecord | undefined {
    return this.certificates.get(id);
  }

  getCertificatePem(id: string): string | undefined {
    return this.certificates.getPem(id);
  }

  findCertificateByFingerprint(fingerprint: string): CertificateRecord | undefined {
    return this.certificates.findByFingerprint(fingerprint);
  }

  /** The id of the first certificate with this fingerprint (as findCertificateByFingerprint), without reading its record. */
  findCertificateIdByFingerprint(fingerprint: string): string | undefined {
    return this.certificates.idByFingerprint(fingerprint);
  }

  hasCertificateWithSerial(serialHex: string): boolean {
    return this.certificates.hasSerial(serialHex);
  }

  listCertificatesByRequest(requestId: string): CertificateRecord[] {
    return this.certificates.listByRequest(requestId);
  }

  countRenewalDue(nowMs: number): number {
    return this.certificates.countRenewalDue(nowMs);
  }

  search(q: CertificateSearchParsed): SearchResult {
    return this.certificates.search(q);
  }

  deleteCertificate(id: string): boolean {
    return this.certificates.delete(id);
  }

  // ---- sealed key blobs and secrets (sealed-rows.ts) -----------------------------------------

  putKeyBlob(recordId: string, dekHash: string, blob: Uint8Array): void {
    this.sealed.putKeyBlob(recordId, dekHash, blob);
  }

  getKeyBlob(recordId: string): KeyBlob | undefined {
    return this.sealed.getKeyBlob(recordId);
  }

  deleteKeyBlob(recordId: string): boolean {
    return this.sealed.deleteKeyBlob(recordId);
  }

  listKeyBlobs(): { recordId: string; dekHash: string }[] {
    return this.sealed.listKeyBlobs();
  }

  putSecret(secretId: string, dekHash: string, blob: Uint8Array): void {
    // In a transaction of its own (a savepoint inside the caller's): a full disk is then said in the user's words, naming the place.
    this.transaction(() => this.sealed.putSecret(secretId, dekHash, blob));
  }

  getSecret(secretId: string): SealedSecret | undefined {
    return this.sealed.getSecret(secretId);
  }

  deleteSecret(secretId: string): boolean {
    return this.sealed.deleteSecret(secretId);
  }

  listSecrets(): { secretId: string; dekHash: string }[] {
    return this.sealed.listSecrets();
  }

  // ---- meta (meta-rows.ts) -------------------------------------------------------------------

  getMeta(key: string): string | undefined {
    return this.meta.get(key);
  }

  setMeta(key: string, value: string): void {
    this.meta.set(key, value);
  }

  deleteMeta(key: string): boolean {
    return this.meta.delete(key);
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
    // Savepoint journals (one per change in a group commit) and sorts stay in memory. Otherwise
    // SQLite spills them to files of its own in /var/tmp: copies of inventory pages outside the
    // data directory, and an open, writes, reads and an unlink for about one request in three.
    db.exec('PRAGMA temp_store = MEMORY');
    db.exec(`PRAGMA wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
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
