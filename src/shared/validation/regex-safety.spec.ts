import { describe, expect, it } from 'vitest';
import { nestedQuantifierProblem } from './regex-safety';

describe('nestedQuantifierProblem', () => {
  it.each(['(\\w+\\s?)+', '(a+)+', '(a*)*b', '((ab)+c)*', '([a-z0-9-]+\\.?)+', '(x{2,})+', '(?:a+|b)+$'])('refuses %s', (source) => {
    expect(nestedQuantifierProblem(source)).toMatch(/repeats something that itself repeats/);
  });

  it.each(['.*', '.*\\.example\\.com', '^[a-z0-9-]+\\.example\\.com$', '(www|api)\\.example\\.com', '([a-z]+\\.)?example\\.com', '[(+)]+', '\\(a+\\)+', '(ab)+', '(a{2})+', '(https|http|ldaps|ldap|ftps|ftp|urn)://.*'])('allows %s', (source) => {
    expect(nestedQuantifierProblem(source)).toBeUndefined();
  });

  it('what it refuses is what takes long: (\\w+\\s?)+$ on 28 characters', () => {
    const started = performance.now();
    /^(\w+\s?)+$/.test('a'.repeat(24) + '!');
    expect(performance.now() - started).toBeGreaterThan(50);
  });
});
