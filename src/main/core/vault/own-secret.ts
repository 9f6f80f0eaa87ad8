// Plaintext secrets (a private key, the DEK) are kept in a buffer of their own. Buffer.concat and
// Buffer.from put small results in Node's shared pool (64 KB slabs in Node 24), beside whatever
// else was cut from the same slab: a caller can wipe only its window, and cloning any neighbour
// (postMessage copies a view's whole ArrayBuffer) copies the secret along.

/** The parts joined into one new buffer outside the pool; the parts are wiped. */
export function ownSecret(...parts: Uint8Array[]): Buffer {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = Buffer.alloc(length); // Buffer.alloc never uses the pool
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
    part.fill(0);
  }
  return out;
}
