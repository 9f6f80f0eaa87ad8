import { existsSync, readFileSync } from 'node:fs';
import { REVOCATION_REASONS as REASONS, type RevocationReason } from '../../../../shared/labels';
import { writeFileAtomicSync } from '../../fs/atomic-write';

/** The reasons a user may give (the shared table), as RFC 5280 CRLReason codes. */
export const REVOCATION_REASONS = Object.fromEntries(Object.entries(REASONS).map(([name, r]) => [name, r.code])) as Record<RevocationReason, number>;
export type { RevocationReason };

export interface Revocation {
  /** Lower-case hex, as in the certificate. */
  serialNumber: string;
  revocationDate: string;
  reason: RevocationReason;
}

interface RevocationFile {
  /** Number of the last CRL produced (RFC 5280 5.2.3: monotonically increasing). */
  crlNumber: number;
  revocations: Revocation[];
}

/** What the built-in CA has revoked, kept in one small JSON file replaced atomically. */
export class RevocationLog {
  private state: RevocationFile;

  constructor(private readonly path: string) {
    this.state = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as RevocationFile) : { crlNumber: 0, revocations: [] };
  }

  list(): readonly Revocation[] {
    return this.state.revocations;
  }

  find(serialNumber: string): Revocation | undefined {
    const s = serialNumber.toLowerCase();
    return this.state.revocations.find((r) => r.serialNumber === s);
  }

  /** Records a revocation; revoking again keeps the first date and reason. Returns the record kept. */
  add(serialNumber: string, reason: RevocationReason, at = new Date()): Revocation {
    const existing = this.find(serialNumber);
    if (existing) return existing;
    const entry: Revocation = { serialNumber: serialNumber.toLowerCase(), revocationDate: at.toISOString(), reason };
    this.save({ ...this.state, revocations: [...this.state.revocations, entry] });
    return entry;
  }

  /** Reserves the next CRL number (persisted before the CRL is handed out). */
  nextCrlNumber(): number {
    const n = this.state.crlNumber + 1;
    this.save({ ...this.state, crlNumber: n });
    return n;
  }

  private save(next: RevocationFile): void {
    writeFileAtomicSync(this.path, JSON.stringify(next, null, 2), 0o644);
    this.state = next;
  }
}
