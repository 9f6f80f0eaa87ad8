import { describe, expect, it } from 'vitest';
import { uuidSchema } from '../../../shared/settings';
import { newRecordId } from './record-id';

describe('newRecordId', () => {
  it('is a UUID of version 7 and the RFC 4122 variant, which the API schemas accept', () => {
    const id = newRecordId();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(uuidSchema.safeParse(id).success).toBe(true);
  });

  it('carries its time in the first 48 bits', () => {
    const at = Date.UTC(2026, 11, 7, 6, 0, 0, 123);
    expect(parseInt(newRecordId(at).replaceAll('-', '').slice(0, 12), 16)).toBe(at);
  });

  it('sorts by time: ids made in later milliseconds come later, as text and in an index', () => {
    const ids = [0, 1, 2, 1_000, 86_400_000].map((ms) => newRecordId(Date.UTC(2026, 0, 1) + ms));
    expect([...ids].sort()).toEqual(ids);
  });

  it('differs within one millisecond (74 random bits)', () => {
    const at = Date.now();
    expect(new Set(Array.from({ length: 10_000 }, () => newRecordId(at))).size).toBe(10_000);
  });
});
