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
  /** The issuing CA that issued it (pki-paths.ts's generation); absent in records from before there could be more than one: 1. */
  issuer?: number;
}

/** The issuing CA a revocation belongs to. */
function issuerOfRevocation(r: Revocation): number {
  return r.issuer ?? 1;
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

  /** What issuing CA `issuer` revoked: its CRL's entries. */
  list(issuer: number): readonly Revocation[] {
    return this.state.revocations.filter((r) => issuerOfRevocation(r) === issuer);
  }

  /** The revocation of this serial by issuing CA `issuer`, or by any of them when not given. */
  find(serialNumber: string, issuer?: number): Revocation | undefined {
    const s = serialNumber.toLowerCase();
    return this.state.revocations.find((r) => r.serialNumber === s && (issuer === undefined || issuerOfRevocation(r) === issuer));
  }

  /** Records a revocation by issuing CA `issuer`; revoking again keeps the first date and reason. Returns the record kept. */
  add(serialNumber: string, reason: RevocationReason, issuer: number, at = new Date()): Revocation {
    const existing = this.find(serialNumber, issuer);
    if (existing) return existing;
    // Records of the first issuing CA keep the shape they always had.
    const entry: Revocation = { serialNumber: serialNumber.toLowerCase(), revocationDate: at.toISOString(), reason, ...(issuer === 1 ? {} : { issuer }) };
    this.save({ ...this.state, revocations: [...this.state.revocations, entry] });
    return entry;
  }

  /**
   * Reserves the next CRL number (persisted before the CRL is handed out). One counter for every
   * issuing CA: increasing overall, it increases for each of them, as RFC 5280 5.2.3 asks.
   */
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
