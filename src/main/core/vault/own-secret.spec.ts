import { describe, expect, it } from 'vitest';
import { ownSecret } from './own-secret';

describe('ownSecret', () => {
  it('joins the parts into a buffer of its own and wipes them', () => {
    const head = Buffer.from('secret-'); // small: cut from the shared pool
    const tail = Buffer.from('key');
    expect(head.buffer.byteLength).toBeGreaterThan(head.length);
    const joined = ownSecret(head, tail);
    expect(joined.toString()).toBe('secret-key');
    expect(joined.byteOffset).toBe(0);
    expect(joined.buffer.byteLength).toBe(10);
    expect(head.every((b) => b === 0) && tail.every((b) => b === 0)).toBe(true);
  });
});
