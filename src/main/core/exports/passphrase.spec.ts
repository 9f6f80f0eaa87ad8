import { describe, expect, it } from 'vitest';
import { MIN_PASSPHRASE_LENGTH } from '../../../shared/exports';
import { generatePassphrase } from './passphrase';

describe('generatePassphrase', () => {
  it('gives 24 readable characters in groups of four, longer than the minimum, different each time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const p = generatePassphrase();
      expect(p).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{4}(-[a-km-zA-HJ-NP-Z2-9]{4}){5}$/);
      expect(p.length).toBeGreaterThanOrEqual(MIN_PASSPHRASE_LENGTH);
      seen.add(p);
    }
    expect(seen.size).toBe(50);
  });
});
