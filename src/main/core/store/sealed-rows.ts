import { toBuffer, type Row, type SqlContext } from './sql-context';
import type { KeyBlob, SealedSecret } from './store-types';

/** The key_blobs and secrets tables: bytes sealed under the DEK, each with the DEK it is under. */
export class SealedRows {
  constructor(private readonly sql: SqlContext) {}


  /** Stores (or replaces, e.g. on DEK rotation) the sealed private key of `recordId`. */
  putKeyBlob(recordId: string, dekHash: string, blob: Uint8Array): void {
    this.sql.stmt(
      `INSERT INTO key_blobs (record_id, dek_hash, blob, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(record_id) DO UPDATE SET dek_hash = excluded.dek_hash, blob = excluded.blob`,
    ).run(recordId, dekHash, blob, new Date().toISOString());
  }

  getKeyBlob(recordId: string): KeyBlob | undefined {
    const row = this.sql.stmt('SELECT record_id, dek_hash, blob, created_at FROM key_blobs WHERE record_id = ?').get(recordId) as Row | undefined;
    if (!row) return undefined;
    return { recordId: String(row.record_id), dekHash: String(row.dek_hash), blob: toBuffer(row.blob), createdAt: String(row.created_at) };
  }

  deleteKeyBlob(recordId: string): boolean {
    return Number(this.sql.stmt('DELETE FROM key_blobs WHERE record_id = ?').run(recordId).changes) > 0;
  }

  /** Every blob's id and DEK, without the bytes: what DEK rotation and orphan checks walk. */
  listKeyBlobs(): { recordId: string; dekHash: string }[] {
    const rows = this.sql.stmt('SELECT record_id, dek_hash FROM key_blobs ORDER BY record_id').all() as Row[];
    return rows.map((r) => ({ recordId: String(r.record_id), dekHash: String(r.dek_hash) }));
  }


  putSecret(secretId: string, dekHash: string, blob: Uint8Array): void {
    this.sql.stmt('INSERT INTO secrets (secret_id, dek_hash, blob) VALUES (?, ?, ?) ON CONFLICT(secret_id) DO UPDATE SET dek_hash = excluded.dek_hash, blob = excluded.blob').run(
      secretId,
      dekHash,
      blob,
    );
  }

  getSecret(secretId: string): SealedSecret | undefined {
    const row = this.sql.stmt('SELECT secret_id, dek_hash, blob FROM secrets WHERE secret_id = ?').get(secretId) as Row | undefined;
    return row ? { secretId: String(row.secret_id), dekHash: String(row.dek_hash), blob: toBuffer(row.blob) } : undefined;
  }

  deleteSecret(secretId: string): boolean {
    return Number(this.sql.stmt('DELETE FROM secrets WHERE secret_id = ?').run(secretId).changes) > 0;
  }

  /** Every secret's id and DEK, without the bytes (for DEK rotation). */
  listSecrets(): { secretId: string; dekHash: string }[] {
    const rows = this.sql.stmt('SELECT secret_id, dek_hash FROM secrets ORDER BY secret_id').all() as Row[];
    return rows.map((r) => ({ secretId: String(r.secret_id), dekHash: String(r.dek_hash) }));
  }
}
