import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { openInventoryStore, StoreNotFoundError, type InventoryStore } from './inventory-store';
import { sqliteSecretVault } from './secret-vault';
import { testSealer } from './test-sealer';
import { fakeCertificate, fakeRequest } from './fixtures';
import { SCHEMA_VERSION } from './schema';
import { satelliteRenewalWindow } from '../../../shared/renewal';

let dir: string;
let path: string;
let store: InventoryStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ks-store-'));
  path = join(dir, 'inventory.sqlite');
  store = openInventoryStore(path);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('InventoryStore: a COMMIT that fails', () => {
  it('leaves the store usable: depth back to 0, the change undone, the next transaction commits', () => {
    const db = (store as unknown as { db: DatabaseSync }).db;
    const exec = db.exec.bind(db);
    let fail = true;
    // The disk filling up between the writes and COMMIT, as SQLite reports it.
    vi.spyOn(db, 'exec').mockImplementation((sql: string) => {
      if (sql === 'COMMIT' && fail) {
        fail = false;
        throw Object.assign(new Error('database or disk is full'), { code: 'ERR_SQLITE_ERROR', errcode: 13 });
      }
      return exec(sql);
    });
    const lost = fakeRequest();
    expect(() => store.transaction(() => store.insertRequest(lost))).toThrow(`disk full at ${dir}: free space and retry`);
    expect(store.getRequest(lost.id)).toBeUndefined();
    const kept = fakeRequest();
    store.transaction(() => store.insertRequest(kept));
    expect(store.getRequest(kept.id)?.id).toBe(kept.id);
    // Nested use works again too (depth is 0, not -1).
    store.transaction(() => store.transaction(() => store.updateRequest(kept.id, {}, { status: 'FAILED' })));
    expect(store.getRequest(kept.id)?.status).toBe('FAILED');
  });
});

describe('InventoryStore: opening', () => {
  it('uses WAL, synchronous=FULL and foreign keys, records the schema version, and keeps the file private', () => {
    store.close();
    const db = new DatabaseSync(path);
    expect(db.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    expect(db.prepare('SELECT max(version) AS v FROM schema_migrations').get()).toEqual({ v: SCHEMA_VERSION });
    db.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    store = openInventoryStore(path);
  });

  it('keeps savepoint journals and sorts in memory, not in files of their own outside the data directory', () => {
    const connection = (store as unknown as { db: DatabaseSync }).db;
    // 2 = MEMORY (the default, 0, lets SQLite spill them to /var/tmp).
    expect(connection.prepare('PRAGMA temp_store').get()).toEqual({ temp_store: 2 });
  });

  it('keeps no index that no query reads (each one costs every request a page written)', () => {
    store.close();
    const db = new DatabaseSync(path);
    const indexes = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index'").all() as { name: string }[]).map((r) => r.name);
    expect(indexes).not.toContain('certificate_requests_application');
    expect(indexes).not.toContain('key_blobs_dek_hash');
    // What the requests are read by still has its index.
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT record FROM certificate_requests WHERE status IN ('NEW') ORDER BY creation_date, id").all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join('\n')).toMatch(/certificate_requests_status/);
    db.close();
    store = openInventoryStore(path);
  });

  it('refuses a database written by a newer app', () => {
    store.close();
    const db = new DatabaseSync(path);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(SCHEMA_VERSION + 1, 'future', 'x');
    db.close();
    expect(() => openInventoryStore(path)).toThrow(/newer than this app understands/);
    store = openInventoryStore(':memory:');
  });
});

describe('InventoryStore: commits that need not wait for the disk', () => {
  it('are committed for every other connection at once, roll back as a whole, and leave later commits durable', () => {
    const first = fakeRequest();
    store.transaction(() => store.insertRequest(first), { durable: false });
    const other = new DatabaseSync(path);
    expect(other.prepare('SELECT status FROM certificate_requests WHERE id = ?').get(first.id)).toEqual({ status: 'NEW' });

    const second = fakeRequest();
    expect(() =>
      store.transaction(
        () => {
          store.insertRequest(second);
          throw new Error('interrupted');
        },
        { durable: false },
      ),
    ).toThrow('interrupted');
    expect(other.prepare('SELECT count(*) AS n FROM certificate_requests WHERE id = ?').get(second.id)).toEqual({ n: 0 });
    other.close();

    // The connection is back to synchronous=FULL: reopening shows the first row and nothing else lost.
    store.updateRequest(first.id, {}, { status: 'REQUESTED' });
    store.close();
    store = openInventoryStore(path);
    expect(store.getRequest(first.id)?.status).toBe('REQUESTED');
  });
});

describe('InventoryStore: group commit', () => {
  it('commits the changes of one event-loop turn together, writes nothing before, and undoes only a failing one', async () => {
    const [a, b] = [fakeRequest(), fakeRequest()];
    const pending = [
      store.groupTransaction(() => store.insertRequest(a)),
      store.groupTransaction(() => {
        store.insertRequest(b);
        throw new Error('this one fails');
      }),
      store.groupTransaction(() => store.getRequest(a.id)?.id),
    ];
    expect(store.getRequest(a.id)).toBeUndefined(); // nothing is written before the commit
    const [first, second, third] = await Promise.allSettled(pending);
    expect(first?.status).toBe('fulfilled');
    expect(second).toMatchObject({ status: 'rejected', reason: new Error('this one fails') });
    expect(third).toEqual({ status: 'fulfilled', value: a.id }); // later changes see earlier ones
    const other = new DatabaseSync(path);
    expect(other.prepare('SELECT id FROM certificate_requests ORDER BY id').all()).toEqual([{ id: a.id }]);
    other.close();
  });

  it('undoes a change alone in its turn that fails, and goes on committing the next ones', async () => {
    const [a, b] = [fakeRequest(), fakeRequest()];
    await expect(
      store.groupTransaction(() => {
        store.insertRequest(a);
        throw new Error('the lone change fails');
      }),
    ).rejects.toThrow('the lone change fails');
    await store.groupTransaction(() => store.insertRequest(b));
    const other = new DatabaseSync(path);
    expect(other.prepare('SELECT id FROM certificate_requests ORDER BY id').all()).toEqual([{ id: b.id }]);
    other.close();
  });

  it('waits for the disk when any change of the group asks to, and only then', async () => {
    const commits = vi.spyOn(store, 'transaction');
    const outermost = () => commits.mock.calls.filter(([, options]) => options !== undefined).map(([, options]) => options);
    await Promise.all([store.groupTransaction(() => store.insertRequest(fakeRequest()), { durable: false }), store.groupTransaction(() => store.insertRequest(fakeRequest()), { durable: false })]);
    expect(outermost()).toEqual([{ durable: false }]);
    commits.mockClear();
    await Promise.all([store.groupTransaction(() => store.insertRequest(fakeRequest()), { durable: false }), store.groupTransaction(() => store.insertRequest(fakeRequest()))]);
    expect(outermost()).toEqual([{ durable: true }]);
  });

  it('writes what is waiting when the store closes', async () => {
    const request = fakeRequest();
    const pending = store.groupTransaction(() => store.insertRequest(request));
    store.close();
    await pending;
    store = openInventoryStore(path);
    expect(store.getRequest(request.id)?.id).toBe(request.id);
  });
});

describe('InventoryStore: requests', () => {
  it('inserts, patches and appends status changes to the history', () => {
    const req = fakeRequest();
    store.insertRequest(req);
    expect(store.getRequest(req.id)).toEqual(req);

    const updated = store.updateRequest(req.id, { certificateSigningRequest: 'CSR', dekHash: 'abc' }, { status: 'REQUESTED' });
    expect(updated.status).toBe('REQUESTED');
    expect(updated.certificateSigningRequest).toBe('CSR');
    expect(updated.statusHistory.map((s) => s.status)).toEqual(['NEW', 'REQUESTED']);

    store.updateRequest(req.id, { errorInformation: { type: 'CA', code: 50200, message: 'CA down' } }, { status: 'FAILED', message: 'CA down' });
    const got = store.getRequest(req.id)!;
    expect(got.status).toBe('FAILED');
    expect(got.statusHistory.at(-1)).toMatchObject({ status: 'FAILED', message: 'CA down' });
    expect(got.dekHash).toBe('abc');

    // A patch without a status change leaves status and history alone.
    store.updateRequest(req.id, { tags: ['x'] });
    expect(store.getRequest(req.id)!.statusHistory).toHaveLength(3);
  });

  it('names the missing request', () => {
    expect(() => store.updateRequest('nope', {})).toThrow(StoreNotFoundError);
    expect(() => store.updateRequest('nope', {})).toThrow(/certificate request with id nope/);
  });

  it('lists requests by status, oldest first (what to resume after a crash)', () => {
    const a = fakeRequest({ status: 'REQUESTED', creationDate: '2026-01-01T00:00:00.000Z' });
    const b = fakeRequest({ status: 'NEW', creationDate: '2026-01-02T00:00:00.000Z' });
    const c = fakeRequest({ status: 'ISSUED', creationDate: '2025-12-01T00:00:00.000Z' });
    for (const r of [b, c, a]) store.insertRequest(r);
    expect(store.listRequestsByStatus(['NEW', 'REQUESTED', 'PENDING']).map((r) => r.id)).toEqual([a.id, b.id]);
    expect(store.listRequestsByStatus([])).toEqual([]);
  });
});

describe('InventoryStore: certificates, keys and transactions', () => {
  it('stores a certificate with its PEM, finds it by fingerprint, and updates it in place', () => {
    const cert = fakeCertificate({ cn: 'a.example.com' });
    store.putCertificate(cert, 'PEM-A');
    expect(store.getCertificate(cert.id)).toEqual(cert);
    expect(store.getCertificatePem(cert.id)).toBe('PEM-A');
    const colons = cert.fingerprint.toLowerCase().match(/../g)!.join(':');
    expect(store.findCertificateByFingerprint(colons)?.id).toBe(cert.id);
    expect(store.findCertificateByFingerprint(cert.sha256Fingerprint)?.id).toBe(cert.id);

    const revoked = store.updateCertificate(cert.id, { revocationStatus: 'REVOKED', revocationDate: '2026-02-02T00:00:00.000Z' });
    expect(revoked.revocationStatus).toBe('REVOKED');
    expect(store.getCertificatePem(cert.id)).toBe('PEM-A');
    expect(store.search({ expression: { field: 'revocationStatus', operator: 'EQ', value: 'REVOKED' }, paging: { pageNumber: 0, pageSize: 10 } }).count).toBe(1);
    expect(store.counts().certificates).toBe(1);
  });

  it('putting a certificate again under its id replaces its names everywhere a search looks', () => {
    const first = fakeCertificate({ cn: 'old-name.example.com', applicationIds: ['11111111-1111-4111-8111-111111111111'] });
    store.putCertificate(first, 'PEM-1');
    const again = { ...fakeCertificate({ cn: 'new-name.example.com', applicationIds: ['22222222-2222-4222-8222-222222222222'] }), id: first.id };
    store.putCertificate(again, 'PEM-2');
    const ids = (expression: Parameters<InventoryStore['search']>[0]['expression']) =>
      store.search({ expression, paging: { pageNumber: 0, pageSize: 10 } }).certificates.map((c) => c.id);
    expect(store.counts().certificates).toBe(1);
    expect(store.getCertificatePem(first.id)).toBe('PEM-2');
    expect(ids({ field: 'subjectCN', operator: 'FIND', value: 'old-name' })).toEqual([]);
    expect(ids({ field: 'subjectCN', operator: 'FIND', value: 'new-name' })).toEqual([first.id]);
    expect(ids({ field: 'subjectAlternativeNameDns', operator: 'FIND', value: 'old-name' })).toEqual([]);
    expect(ids({ field: 'subjectAlternativeNameDns', operator: 'EQ', value: 'new-name.example.com' })).toEqual([first.id]);
    expect(ids({ field: 'appstackIds', operator: 'IN', values: ['11111111-1111-4111-8111-111111111111'] })).toEqual([]);
    expect(ids({ field: 'appstackIds', operator: 'IN', values: ['22222222-2222-4222-8222-222222222222'] })).toEqual([first.id]);
  });

  it('deleting a certificate removes its key blob in the same transaction', () => {
    const req = fakeRequest({ status: 'ISSUED' });
    store.insertRequest(req);
    const cert = fakeCertificate({ certificateRequestId: req.id, dekHash: 'dek1' });
    const imported = fakeCertificate();
    store.transaction(() => {
      store.putKeyBlob(req.id, 'dek1', Buffer.from('sealed-1'));
      store.putCertificate(cert, 'PEM');
      store.putKeyBlob(imported.id, 'dek1', Buffer.from('sealed-2'));
      store.putCertificate(imported, 'PEM');
    });
    expect(store.listKeyBlobs()).toHaveLength(2);

    expect(store.deleteCertificate(cert.id)).toBe(true);
    expect(store.getKeyBlob(req.id)).toBeUndefined();
    expect(store.getCertificate(cert.id)).toBeUndefined();
    expect(store.search({ expression: { field: 'subjectCN', operator: 'FIND', value: 'www' }, paging: { pageNumber: 0, pageSize: 10 } }).count).toBe(1);

    expect(store.deleteCertificate(imported.id)).toBe(true);
    expect(store.listKeyBlobs()).toEqual([]);
    expect(store.deleteCertificate(imported.id)).toBe(false);
    expect(store.getRequest(req.id)).toBeDefined();
  });

  it("keeps a request's key while another certificate of that request remains", () => {
    const req = fakeRequest();
    store.insertRequest(req);
    const first = fakeCertificate({ certificateRequestId: req.id });
    const second = fakeCertificate({ certificateRequestId: req.id });
    store.putKeyBlob(req.id, 'dek1', Buffer.from('sealed'));
    store.putCertificate(first, 'P1');
    store.putCertificate(second, 'P2');
    expect(store.listCertificatesByRequest(req.id).map((c) => c.id)).toEqual([first.id, second.id]);
    store.deleteCertificate(first.id);
    expect(store.getKeyBlob(req.id)?.blob.toString()).toBe('sealed');
    store.deleteCertificate(second.id);
    expect(store.getKeyBlob(req.id)).toBeUndefined();
  });

  it('rolls a failed transaction back entirely, nested ones to their savepoint, and refuses async functions', () => {
    const req = fakeRequest();
    expect(() =>
      store.transaction(() => {
        store.insertRequest(req);
        store.putKeyBlob(req.id, 'd', Buffer.from('k'));
        throw new Error('crash');
      }),
    ).toThrow('crash');
    expect(store.counts()).toEqual({ requests: 0, certificates: 0, keyBlobs: 0, secrets: 0 });

    store.transaction(() => {
      store.insertRequest(req);
      expect(() =>
        store.transaction(() => {
          store.putKeyBlob(req.id, 'd', Buffer.from('k'));
          throw new Error('inner');
        }),
      ).toThrow('inner');
    });
    expect(store.counts()).toMatchObject({ requests: 1, keyBlobs: 0 });

    expect(() => store.transaction(() => Promise.resolve(1))).toThrow(/returned a promise/);
    expect(store.counts().requests).toBe(1);
  });

  it('replaces a key blob (DEK rotation) and lists ids with their DEK', () => {
    store.putKeyBlob('r1', 'old', Buffer.from('a'));
    store.putKeyBlob('r1', 'new', Buffer.from('b'));
    expect(store.getKeyBlob('r1')).toMatchObject({ recordId: 'r1', dekHash: 'new' });
    expect(store.getKeyBlob('r1')!.blob.toString()).toBe('b');
    expect(store.listKeyBlobs()).toEqual([{ recordId: 'r1', dekHash: 'new' }]);
    expect(store.deleteKeyBlob('r1')).toBe(true);
    expect(store.deleteKeyBlob('r1')).toBe(false);
  });

  it('keeps everything across close and reopen', () => {
    const req = fakeRequest();
    const cert = fakeCertificate({ cn: 'persist.example.com', certificateRequestId: req.id });
    store.insertRequest(req);
    store.putCertificate(cert, 'PEM-P');
    store.putKeyBlob(req.id, 'dek', Buffer.from([0, 1, 2, 255]));
    store.putSecret('acme-account', 'dek', Buffer.from('s'));
    store.setMeta('satelliteId', 'abc');
    store.close();

    store = openInventoryStore(path);
    expect(store.getRequest(req.id)).toEqual(req);
    expect(store.getCertificate(cert.id)).toEqual(cert);
    expect(store.getCertificatePem(cert.id)).toBe('PEM-P');
    expect([...store.getKeyBlob(req.id)!.blob]).toEqual([0, 1, 2, 255]);
    expect(store.getSecret('acme-account')?.blob.toString()).toBe('s');
    expect(store.getMeta('satelliteId')).toBe('abc');
    expect(store.search({ expression: { field: 'subjectCN', operator: 'FIND', value: 'persist' }, paging: { pageNumber: 0, pageSize: 5 } }).count).toBe(1);
  });
});

describe('InventoryStore: renewal due', () => {
  it('counts what the shared renewal rule calls due, without reading the records', () => {
    const DAY = 86_400_000;
    const now = Date.parse('2026-06-01T00:00:00Z');
    const cert = (lifetimeDays: number, elapsedDays: number, over: Parameters<typeof fakeCertificate>[0] = {}) =>
      fakeCertificate({ validityStart: new Date(now - elapsedDays * DAY).toISOString(), validityEnd: new Date(now + (lifetimeDays - elapsedDays) * DAY).toISOString(), ...over });
    const records = [
      cert(90, 59), // not yet
      cert(90, 60), // exactly two thirds: due
      cert(90, 80), // past the window's end: still due (late)
      cert(365, 250), // due
      cert(7, 5), // due
      cert(90, 95), // expired: not counted
      cert(90, 70, { revocationStatus: 'REVOKED' }),
      cert(90, 70, { certificateStatus: 'RETIRED' }),
      cert(3650, 3000, { isCA: true }),
      cert(90, 70, { successorCertificateId: '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f' }), // renewed already
    ];
    for (const r of records) store.putCertificate(r, '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');
    const byRule = records.filter(
      (r) => !r.isCA && !r.successorCertificateId && r.certificateStatus === 'ACTIVE' && r.revocationStatus !== 'REVOKED' && Date.parse(r.validityEnd) > now && satelliteRenewalWindow(r).start.getTime() <= now,
    ).length;
    expect(byRule).toBe(4);
    expect(store.countRenewalDue(now)).toBe(byRule);
  });
});

describe('sqliteSecretVault', () => {
  it('seals secrets under the DEK, binds them to their id, and never stores the plaintext', async () => {
    const sealer = testSealer();
    const vault = sqliteSecretVault(store, sealer);
    await vault.write('eab-hmac', Buffer.from('top secret value'));
    expect((await vault.read('eab-hmac'))?.toString()).toBe('top secret value');
    const raw = store.getSecret('eab-hmac')!;
    expect(raw.dekHash).toBe(sealer.dekHash);
    expect(raw.blob.includes(Buffer.from('top secret value'))).toBe(false);

    // A blob moved to another id does not open.
    store.putSecret('other', raw.dekHash, raw.blob);
    await expect(vault.read('other')).rejects.toThrow();

    await vault.remove('eab-hmac');
    expect(await vault.read('eab-hmac')).toBeUndefined();
    expect(store.listSecrets()).toEqual([{ secretId: 'other', dekHash: sealer.dekHash }]);
  });
});
