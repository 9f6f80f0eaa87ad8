import { describe, expect, it } from 'vitest';
import { describeProblem, problemToCaError } from './problem';

describe('ACME problem documents', () => {
  it('reads type, detail and subproblems', () => {
    const problem = {
      type: 'urn:ietf:params:acme:error:rejectedIdentifier',
      detail: 'Some identifiers were rejected',
      subproblems: [{ type: 'urn:ietf:params:acme:error:malformed', detail: 'bad_name.example.test is not a hostname' }],
    };
    expect(describeProblem(problem)).toBe(
      'urn:ietf:params:acme:error:rejectedIdentifier: Some identifiers were rejected (urn:ietf:params:acme:error:malformed: bad_name.example.test is not a hostname)',
    );
  });

  it('retries rate limits and server errors, not refusals', () => {
    expect(problemToCaError('the new order', { type: 'urn:ietf:params:acme:error:rateLimited', detail: 'too many', status: 429 }).retryable).toBe(true);
    expect(problemToCaError('the new order', { type: 'urn:ietf:params:acme:error:serverInternal', status: 500 }).retryable).toBe(true);
    const refused = problemToCaError('the new order', { type: 'urn:ietf:params:acme:error:unauthorized', detail: 'no', status: 403 });
    expect(refused.retryable).toBe(false);
    expect(refused.message).toBe('The ACME server refused the new order: urn:ietf:params:acme:error:unauthorized: no');
  });
});
