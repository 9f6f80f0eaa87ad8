import type { DatabaseSync } from 'node:sqlite';

// The inventory's schema, as an ordered list of migrations. Each migration runs once, in its own
// transaction, and is recorded in schema_migrations; a database written by a newer version of the
// app (a migration we do not know) is refused rather than silently misread.

export interface Migration {
  version: number;
  name: string;
  up(db: DatabaseSync): void;
}

/** Name of the optional trigram full-text table (absent when this SQLite lacks FTS5). */
export const NAMES_FTS_TABLE = 'certificate_names_fts';

function hasFts5Trigram(db: DatabaseSync): boolean {
  try {
    db.exec(`CREATE VIRTUAL TABLE temp.fts5_probe USING fts5(x, tokenize='trigram'); DROP TABLE temp.fts5_probe;`);
    return true;
  } catch {
    return false;
  }
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial inventory',
    up(db) {
      db.exec(`
        CREATE TABLE certificate_requests (
          id TEXT PRIMARY KEY,
          status TEXT NOT NULL,
          application_id TEXT NOT NULL,
          creation_date TEXT NOT NULL,
          record TEXT NOT NULL
        ) STRICT;
        CREATE INDEX certificate_requests_status ON certificate_requests(status);
        CREATE INDEX certificate_requests_application ON certificate_requests(application_id);
        CREATE INDEX certificate_requests_creation ON certificate_requests(creation_date);

        -- rid is the rowid, shared with the full-text table; id is the public UUID.
        CREATE TABLE certificates (
          rid INTEGER PRIMARY KEY,
          id TEXT NOT NULL UNIQUE,
          cn_lower TEXT NOT NULL,
          issuer_dn_lower TEXT NOT NULL,
          validity_start INTEGER NOT NULL,
          validity_end INTEGER NOT NULL,
          fingerprint TEXT NOT NULL,
          sha256 TEXT NOT NULL,
          serial TEXT NOT NULL,
          status TEXT NOT NULL,
          revocation TEXT NOT NULL,
          request_id TEXT,
          template_id TEXT,
          key_type TEXT NOT NULL,
          dek_hash TEXT,
          is_ca INTEGER NOT NULL,
          record TEXT NOT NULL,
          pem TEXT NOT NULL
        ) STRICT;
        CREATE INDEX certificates_cn ON certificates(cn_lower);
        CREATE INDEX certificates_validity_end ON certificates(validity_end);
        CREATE INDEX certificates_validity_start ON certificates(validity_start);
        CREATE INDEX certificates_fingerprint ON certificates(fingerprint);
        CREATE INDEX certificates_sha256 ON certificates(sha256);
        CREATE INDEX certificates_serial ON certificates(serial);
        CREATE INDEX certificates_status ON certificates(status);
        CREATE INDEX certificates_request ON certificates(request_id);
        CREATE INDEX certificates_template ON certificates(template_id);
        CREATE INDEX certificates_dek_hash ON certificates(dek_hash);

        CREATE TABLE certificate_sans (
          cert_id TEXT NOT NULL REFERENCES certificates(id) ON DELETE CASCADE,
          type TEXT NOT NULL,
          value TEXT NOT NULL
        ) STRICT;
        CREATE INDEX certificate_sans_value ON certificate_sans(type, value);
        CREATE INDEX certificate_sans_cert ON certificate_sans(cert_id);

        CREATE TABLE certificate_applications (
          cert_id TEXT NOT NULL REFERENCES certificates(id) ON DELETE CASCADE,
          app_id TEXT NOT NULL,
          PRIMARY KEY (cert_id, app_id)
        ) STRICT;
        CREATE INDEX certificate_applications_app ON certificate_applications(app_id);

        CREATE TABLE key_blobs (
          record_id TEXT PRIMARY KEY,
          dek_hash TEXT NOT NULL,
          blob BLOB NOT NULL,
          created_at TEXT NOT NULL
        ) STRICT;
        CREATE INDEX key_blobs_dek_hash ON key_blobs(dek_hash);

        CREATE TABLE secrets (
          secret_id TEXT PRIMARY KEY,
          dek_hash TEXT NOT NULL,
          blob BLOB NOT NULL
        ) STRICT;

        CREATE TABLE meta (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL
        ) STRICT;
      `);
      // Substring search over CNs and SANs: a trigram index turns "contains" into an index
      // lookup, so it stays fast at 100,000 certificates. Without FTS5 the search falls back
      // to LIKE over the lower-cased columns (correct, only slower).
      if (hasFts5Trigram(db)) {
        db.exec(`CREATE VIRTUAL TABLE ${NAMES_FTS_TABLE} USING fts5(cn, sans, tokenize='trigram', columnsize=0);`);
      }
    },
  },
  {
    version: 2,
    name: 'automations: certificates renewed and installed unattended',
    up(db) {
      db.exec(`
        CREATE TABLE automations (
          id TEXT PRIMARY KEY,
          certificate_id TEXT NOT NULL,
          record TEXT NOT NULL
        ) STRICT;
        CREATE INDEX automations_certificate ON automations(certificate_id);
        CREATE TABLE automation_events (
          automation_id TEXT NOT NULL,
          at TEXT NOT NULL,
          record TEXT NOT NULL
        ) STRICT;
        CREATE INDEX automation_events_automation ON automation_events(automation_id);
      `);
    },
  },
  {
    version: 3,
    name: 'indexes no query reads dropped (requests by application, key blobs by DEK)',
    up(db) {
      // Each certificate request wrote a page into each of them (issue 19): nothing filters
      // requests by application, and a DEK rotation reads every key blob by its record id.
      db.exec(`
        DROP INDEX IF EXISTS certificate_requests_application;
        DROP INDEX IF EXISTS key_blobs_dek_hash;
      `);
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Brings the database to SCHEMA_VERSION; throws if it was written by a newer app. */
export function migrate(db: DatabaseSync): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT;`);
  const row = db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null } | undefined;
  const current = row?.v ?? 0;
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `The inventory database has schema version ${current}, newer than this app understands (${SCHEMA_VERSION}). Update the app; do not open this database with an older version.`,
    );
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      m.up(db);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
      db.exec('COMMIT');
    } catch (e) {
      db.exec('ROLLBACK');
      throw e;
    }
  }
}
