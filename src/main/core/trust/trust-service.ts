import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrustChange, TrustStep } from '../../../shared/trust';
import type { Logger } from '../common/log';
import { writeFileAtomicSync } from '../fs/atomic-write';
import { installRoot, uninstallRoot, type TrustRecord, type TrustTargets } from './trust-stores';

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

  install(rootPem: string): Promise<TrustChange> {
    return this.change('trusted', async () => {
      const { steps, record } = await installRoot(rootPem, this.targets);
      // Merged with an earlier install, so uninstall removes from every store either one reached.
      const before = this.record();
      const merged: TrustRecord = {
        nickname: record.nickname,
        system: record.system ?? before?.system,
        nss: [...new Set([...(before?.nss ?? []), ...record.nss])],
        java: record.java ?? before?.java,
      };
      writeFileAtomicSync(this.file, JSON.stringify(merged, null, 2), 0o600);
      return steps;
    });
  }

  uninstall(): Promise<TrustChange> {
    return this.change('no longer trusted', async () => {
      const record = this.record();
      const steps = await uninstallRoot(record ?? { nickname: '', nss: [] }, this.targets);
      if (record) {
        const left: TrustRecord = {
          nickname: record.nickname,
          system: steps.some((s) => s.store === 'system' && s.outcome !== 'done') ? record.system : undefined,
          nss: record.nss.filter((db) => steps.some((s) => s.store === 'nss' && s.where === db && s.outcome !== 'done')),
          java: steps.some((s) => s.store === 'java' && s.outcome !== 'done') ? record.java : undefined,
        };
        writeFileAtomicSync(this.file, JSON.stringify(left, null, 2), 0o600);
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
