import { describe, expect, it } from 'vitest';
import { checkDnsName } from './dns-name';

describe('checkDnsName', () => {
  it.each([
    ['example.com', 'example.com'],
    ['localhost', 'localhost'],
    ['*.example.com', '*.example.com'],
    ['A-1.Example.COM', 'a-1.example.com'],
    ['bücher.example', 'xn--bcher-kva.example'],
    ['例え。テスト', 'xn--r8jz45g.xn--zckzah'],
    [`${'a'.repeat(63)}.example`, `${'a'.repeat(63)}.example`],
  ])('%s is valid as %s', (name, normalised) => {
    expect(checkDnsName(name)).toEqual({ ok: true, value: normalised });
  });

  it('keeps names of exactly 253 characters and refuses 254', () => {
    const labels = (n: number) => Array.from({ length: 4 }, (_, i) => (i === 3 ? 'a'.repeat(n) : 'a'.repeat(63))).join('.');
    expect(checkDnsName(labels(61)).ok).toBe(true); // 3 * 63 + 61 + 3 dots = 253
    expect(checkDnsName(labels(62)).ok).toBe(false);
  });

  it.each(['', '.', '.example.com', 'a..b', 'a.b.', '*.*.example.com', 'www.*.example.com', '*', '*.com', 'a b.com', 'a_b.com', '-a.com', 'a-.com', 'a\u0000.com', 'a/b.com', 'a@b.com', '1.2.3.4', 'example.123'])('%j is refused', (name) => {
    expect(checkDnsName(name).ok).toBe(false);
  });

  it('refuses a wildcard where one is not allowed', () => {
    expect(checkDnsName('*.example.com', { allowWildcard: false }).ok).toBe(false);
  });
});
