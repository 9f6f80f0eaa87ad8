import type { Automation, AutomationEvent } from '../../../shared/automation';
import type { Row, SqlContext } from './sql-context';
import { StoreNotFoundError } from './store-types';

/** How many history lines an automation keeps: enough for months of 6-day certificates. */
const HISTORY_KEPT = 200;

/** The automations table (one record per certificate kept renewed and installed) and its history. */
export class AutomationRows {
  constructor(private readonly sql: SqlContext) {}

  put(automation: Automation): void {
    this.sql
      .stmt('INSERT INTO automations (id, certificate_id, record) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET certificate_id = excluded.certificate_id, record = excluded.record')
      .run(automation.id, automation.certificateId, JSON.stringify(automation));
  }

  /**
   * Applies `patch` to the stored record (read inside the same transaction) and returns the result.
   * Unlike the other tables' updates, a key set to undefined is removed: that is how a retry time
   * or a pending request is cleared.
   */
  update(id: string, patch: Partial<Automation>): Automation {
    return this.sql.transaction(() => {
      const current = this.get(id);
      if (!current) throw new StoreNotFoundError('automation', id);
      const next: Automation = { ...current, ...patch, id, modificationDate: new Date().toISOString() };
      for (const [key, value] of Object.entries(patch)) if (value === undefined) delete (next as unknown as Record<string, unknown>)[key];
      this.put(next);
      return next;
    });
  }

  get(id: string): Automation | undefined {
    const row = this.sql.stmt('SELECT record FROM automations WHERE id = ?').get(id) as Row | undefined;
    return row ? (JSON.parse(String(row.record)) as Automation) : undefined;
  }

  /** The automation keeping this certificate (or, for a renewed one, its successor) installed. */
  forCertificate(certificateId: string): Automation | undefined {
    const row = this.sql.stmt('SELECT record FROM automations WHERE certificate_id = ?').get(certificateId) as Row | undefined;
    return row ? (JSON.parse(String(row.record)) as Automation) : undefined;
  }

  list(): Automation[] {
    return (this.sql.stmt('SELECT record FROM automations ORDER BY rowid').all() as Row[]).map((r) => JSON.parse(String(r.record)) as Automation);
  }

  delete(id: string): boolean {
    return this.sql.transaction(() => {
      this.sql.stmt('DELETE FROM automation_events WHERE automation_id = ?').run(id);
      return Number(this.sql.stmt('DELETE FROM automations WHERE id = ?').run(id).changes) > 0;
    });
  }

  addEvent(automationId: string, event: AutomationEvent): void {
    this.sql.transaction(() => {
      this.sql.stmt('INSERT INTO automation_events (automation_id, at, record) VALUES (?, ?, ?)').run(automationId, event.at, JSON.stringify(event));
      this.sql
        .stmt('DELETE FROM automation_events WHERE automation_id = ? AND rowid NOT IN (SELECT rowid FROM automation_events WHERE automation_id = ? ORDER BY rowid DESC LIMIT ?)')
        .run(automationId, automationId, HISTORY_KEPT);
    });
  }

  /** Newest first. */
  events(automationId: string, limit = 50): AutomationEvent[] {
    return (this.sql.stmt('SELECT record FROM automation_events WHERE automation_id = ? ORDER BY rowid DESC LIMIT ?').all(automationId, limit) as Row[]).map(
      (r) => JSON.parse(String(r.record)) as AutomationEvent,
    );
  }
}
