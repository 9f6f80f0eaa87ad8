import { CaError } from '../connector';

/** An RFC 7807 problem document, as ACME servers send them (RFC 8555 section 6.7). */
export interface AcmeProblem {
  type?: string;
  detail?: string;
  status?: number;
  subproblems?: AcmeProblem[];
}

export function isAcmeProblem(value: unknown): value is AcmeProblem {
  return typeof value === 'object' && value !== null && ('type' in value || 'detail' in value);
}

// Problems after which trying the same order later can succeed.
const RETRYABLE_TYPES = new Set(['urn:ietf:params:acme:error:rateLimited', 'urn:ietf:params:acme:error:serverInternal', 'urn:ietf:params:acme:error:badNonce']);

/** "type: detail" with subproblems, so the request's errorInformation says what the server said. */
export function describeProblem(problem: AcmeProblem): string {
  const own = [problem.type, problem.detail].filter(Boolean).join(': ') || 'no detail given';
  const subs = (problem.subproblems ?? []).map((s) => describeProblem(s));
  return subs.length > 0 ? `${own} (${subs.join('; ')})` : own;
}

export function problemToCaError(what: string, problem: AcmeProblem): CaError {
  const retryable = RETRYABLE_TYPES.has(problem.type ?? '') || (problem.status ?? 0) >= 500;
  return new CaError(`The ACME server refused ${what}: ${describeProblem(problem)}`, retryable, problem);
}
