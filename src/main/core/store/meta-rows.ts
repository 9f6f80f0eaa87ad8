import type { Row, SqlContext } from './sql-context';

/** The meta table: the satellite's id, the DEK's hash, the last backup date. */
export class MetaRows {
  constructor(private readonly sql: SqlContext) {}


  get(key: string): string | undefined {
    const row = this.sql.stmt('SELECT value FROM meta WHERE key = ?').get(key) as Row | undefined;
    return row ? String(row.value) : undefined;
  }

  set(key: string, value: string): void {
    this.sql.stmt('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** Removes a meta entry (e.g. the last backup date once that backup's DEK is retired); false when absent. */
  delete(key: string): boolean {
    return Number(this.sql.stmt('DELETE FROM meta WHERE key = ?').run(key).changes) > 0;
  }
}
