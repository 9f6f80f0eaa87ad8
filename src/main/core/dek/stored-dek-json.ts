import { DEK_LENGTH, type StoredDek } from './dek-store';

// The keychain entry's value: small, versioned JSON so a later format can be told apart.
interface StoredDekJsonV1 {
  v: 1;
  key: string;
  createdAt: string;
}

export function encodeStoredDek(dek: StoredDek): string {
  assertStoredDek(dek);
  const json: StoredDekJsonV1 = { v: 1, key: dek.key.toString('base64'), createdAt: dek.createdAt };
  return JSON.stringify(json);
}

/** The DEK, or a reason (never containing the value) why the text is not one. */
export function decodeStoredDek(text: string): StoredDek | { problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { problem: 'the entry is not JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null) return { problem: 'the entry is not a JSON object' };
  const o = parsed as Record<string, unknown>;
  if (o.v !== 1) return { problem: `the entry has format version ${JSON.stringify(o.v)}, expected 1` };
  if (typeof o.key !== 'string') return { problem: 'the entry has no "key" string' };
  const key = Buffer.from(o.key, 'base64');
  if (key.length !== DEK_LENGTH) return { problem: `the entry's key is ${key.length} bytes, expected ${DEK_LENGTH}` };
  if (typeof o.createdAt !== 'string' || Number.isNaN(Date.parse(o.createdAt))) {
    return { problem: 'the entry has no valid "createdAt" date' };
  }
  return { key, createdAt: o.createdAt };
}

export function assertStoredDek(dek: StoredDek): void {
  if (dek.key.length !== DEK_LENGTH) throw new Error(`A DEK must be ${DEK_LENGTH} bytes, got ${dek.key.length}.`);
  if (Number.isNaN(Date.parse(dek.createdAt))) throw new Error(`A DEK's createdAt must be an ISO date, got "${dek.createdAt}".`);
}
