import { createHash, timingSafeEqual } from 'node:crypto';

/** Equal strings, compared in time that depends on neither value (both are hashed to 32 bytes first). */
export function constantTimeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}
