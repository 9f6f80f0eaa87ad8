import { describe, expect, it } from 'vitest';
import { nestedQuantifierProblem } from './regex-safety';

describe('nestedQuantifierProblem', () => {
  it.each(['(\\w+\\s?)+', '(a+)+', '(a*)*b', '((ab)+c)*', '([a-z0-9-]+\\.?)+', '(x{2,})+', '(?:a+|b)+$', '(a+){2,50}', '(a{1,20})+', '(\\w+){8}', '(\\w+\\s?){1,5}'])('refuses %s', (source) => {
    expect(nestedQuantifierProblem(source)).toMatch(/repeats something that itself repeats/);
  });

  it.each(['.*', '.*\\.example\\.com', '^[a-z0-9-]+\\.example\\.com$', '(www|api)\\.example\\.com', '([a-z]+\\.)?example\\.com', '[(+)]+', '\\(a+\\)+', '(ab)+', '(a{2})+', '(https|http|ldaps|ldap|ftps|ftp|urn)://.*',
    // The patterns vcert's set_policy sends for "IP addresses allowed" (Venafi/vcert pkg/policy/constants.go ipv4, ipv6).
    '\\b((25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)(\\.|$)){4}\\b',
    '(([0-9a-fA-F]{1,4}:){7,7}[0-9a-fA-F]{1,4}|([0-9a-fA-F]{1,4}:){1,7}:|fe80:(:[0-9a-fA-F]{0,4}){0,4}%[0-9a-zA-Z]{1,}|::(ffff(:0{1,4}){0,1}:){0,1}((25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])\\.){3,3}(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9]))',
  ])('allows %s', (source) => {
    expect(nestedQuantifierProblem(source)).toBeUndefined();
  });

  it('what it refuses is what takes long: (\\w+\\s?)+$ on 28 characters', () => {
    const started = performance.now();
    /^(\w+\s?)+$/.test('a'.repeat(24) + '!');
    expect(performance.now() - started).toBeGreaterThan(50);
  });
});
