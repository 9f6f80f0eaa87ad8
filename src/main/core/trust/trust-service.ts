import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrustChange, TrustStep } from '../../../shared/trust';
import type { Logger } from '../common/log';
import { writeFileAtomicSync } from '../fs/atomic-write';
import { installRoot, trustNickname, uninstallRoot, type BeforeTrustChange, type TrustRecord, type TrustTargets } from './trust-stores';

/** The file in the data directory that says where this satellite's root was installed. */
export const TRUST_RECORD_FILE = 'trusted-root.json';

/**
 * Installs and removes the built-in CA's root in this computer's trust stores, remembering what
 * it added. Changes run one at a time (certutil and keytool rewrite whole files), each logged.
 */
export class TrustService {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dataDir: string,
    private readonly targets: TrustTargets,
    private readonly log?: Logger,
  ) {}

  private get file(): string {
    return join(this.dataDir, TRUST_RECORD_FILE);
  }

  /** Where the root is trusted now, as this satellite installed it (nothing: undefined). */
  record(): TrustRecord | undefined {
    return existsSync(this.file) ? (JSON.parse(readFileSync(this.file, 'utf8')) as TrustRecord) : undefined;
  }

  /** Where the root is trusted now, one line per store ("system store: /usr/local/...", "NSS: ~/.pki/nssdb"); empty when nowhere. */
  trustedIn(): string[] {
    const record = this.record();
    if (!record) return [];
    return [...(record.system ? [`system store: ${record.system}`] : []), ...record.nss.map((db) => `NSS: ${db}`), ...(record.java ? [`Java: ${record.java}`] : [])];
  }

  private write(record: TrustRecord): void {
    writeFileAtomicSync(this.file, JSON.stringify(record, null, 2), 0o600);
  }

  install(rootPem: string): Promise<TrustChange> {
    return this.change('trusted', async () => {
      const before = this.record();
      // Each store goes on record as pending before it is changed: a kill half-way leaves no
      // root trusted that uninstall would not look for.
      const pending = { system: before?.pending?.system, nss: [...(before?.pending?.nss ?? [])], java: before?.pending?.java };
      const beforeChange: BeforeTrustChange = (store, where) => {
        if (store === 'system') pending.system = where;
        else if (store === 'java') pending.java = where;
        else if (!pending.nss.includes(where)) pending.nss.push(where);
        this.write({ nickname: trustNickname(rootPem), system: before?.system, nss: before?.nss ?? [], java: before?.java, pending });
      };
      const { steps, record } = await installRoot(rootPem, this.targets, beforeChange);
      // Merged with an earlier install, so uninstall removes from every store either one reached;
      // what this one tried and failed at is not trusted, and off the record again. What an
      // earlier, interrupted install left pending stays pending unless this one confirmed it.
      const earlier = before?.pending;
      const left = { system: record.system ? undefined : earlier?.system, nss: (earlier?.nss ?? []).filter((db) => !record.nss.includes(db)), java: record.java ? undefined : earlier?.java };
      this.write({
        nickname: record.nickname,
        system: record.system ?? before?.system,
        nss: [...new Set([...(before?.nss ?? []), ...record.nss])],
        java: record.java ?? before?.java,
        ...(left.system || left.java || left.nss.length > 0 ? { pending: left } : {}),
      });
      return steps;
    });
  }

  uninstall(): Promise<TrustChange> {
    return this.change('no longer trusted', async () => {
      const record = this.record();
      // What an install may have added before it was stopped is looked for too.
      const lookIn: TrustRecord = record
        ? { nickname: record.nickname, system: record.system ?? record.pending?.system, nss: [...new Set([...record.nss, ...(record.pending?.nss ?? [])])], java: record.java ?? record.pending?.java }
        : { nickname: '', nss: [] };
      const steps = await uninstallRoot(lookIn, this.targets);
      if (record) {
        this.write({
          nickname: record.nickname,
          system: steps.some((s) => s.store === 'system' && s.outcome !== 'done') ? lookIn.system : undefined,
          nss: lookIn.nss.filter((db) => steps.some((s) => s.store === 'nss' && s.where === db && s.outcome !== 'done')),
          java: steps.some((s) => s.store === 'java' && s.outcome !== 'done') ? lookIn.java : undefined,
        });
      }
      return steps;
    });
  }

  private change(what: string, run: () => Promise<TrustStep[]>): Promise<TrustChange> {
    const done = this.queue.then(async () => {
      const steps = await run();
      this.log?.log('info', `built-in CA root ${what} on this computer`, { steps: steps.map((s) => `${s.store} ${s.outcome}: ${s.where}`) });
      return { steps, trustedIn: this.trustedIn() };
    });
    this.queue = done.catch(() => undefined);
    return done;
  }
}
