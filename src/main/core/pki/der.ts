// A small, strict DER reader and writer for the few structures the request pipeline makes and
// reads on every request (CSR, end-entity certificate, their names and SANs). The schema-driven
// ASN.1 libraries cost milliseconds per structure; these walk bytes in microseconds. Anything
// they do not understand is an error (DerError), never a guess: callers that must accept more
// fall back to the full parsers.

/** Universal tags used here. */
export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
} as const;

/** Context-specific tag bytes: `[n]` primitive (implicit) and constructed (explicit, or implicit SET/SEQUENCE). */
export const contextTag = (n: number, constructed: boolean): number => 0x80 | (constructed ? 0x20 : 0) | n;

export class DerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DerError';
  }
}

/** One tag-length-value inside a buffer: `start` is the tag byte, `[contentStart, end)` the value. */
export interface Tlv {
  tag: number;
  start: number;
  contentStart: number;
  end: number;
}

/** Reads one DER TLV at `offset`, never past `limit`: definite minimal lengths, low tag numbers only. */
export function readTlv(bytes: Uint8Array, offset: number, limit = bytes.length, what = 'DER value'): Tlv {
  if (offset + 2 > limit) throw new DerError(`${what}: truncated at byte ${offset}`);
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError(`${what}: multi-byte tag at byte ${offset}`);
  let length = bytes[offset + 1]!;
  let contentStart = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0) throw new DerError(`${what}: indefinite length at byte ${offset} (BER, not DER)`);
    if (count > 4) throw new DerError(`${what}: length of ${count} bytes at byte ${offset}`);
    if (contentStart + count > limit) throw new DerError(`${what}: truncated length at byte ${offset}`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[contentStart + i]!;
    if (length < 0x80 || bytes[contentStart] === 0) throw new DerError(`${what}: non-minimal length at byte ${offset}`);
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > limit) throw new DerError(`${what}: value at byte ${offset} runs past its container`);
  return { tag, start: offset, contentStart, end };
}

/** Reads the single TLV that fills all of `bytes`, and checks its tag. */
export function readWhole(bytes: Uint8Array, tag: number, what: string): Tlv {
  const tlv = expectTag(readTlv(bytes, 0, bytes.length, what), tag, what);
  if (tlv.end !== bytes.length) throw new DerError(`${what}: ${bytes.length - tlv.end} bytes after the end`);
  return tlv;
}

export function expectTag(tlv: Tlv, tag: number, what: string): Tlv {
  if (tlv.tag !== tag) throw new DerError(`${what}: expected tag 0x${tag.toString(16)}, found 0x${tlv.tag.toString(16)}`);
  return tlv;
}

/** The TLVs inside a constructed value, in order. */
export function childrenOf(bytes: Uint8Array, parent: Tlv, what = 'DER value'): Tlv[] {
  if (!(parent.tag & 0x20)) throw new DerError(`${what}: expected a constructed value, found tag 0x${parent.tag.toString(16)}`);
  const out: Tlv[] = [];
  for (let at = parent.contentStart; at < parent.end; ) {
    const child = readTlv(bytes, at, parent.end, what);
    out.push(child);
    at = child.end;
  }
  return out;
}

/** The value bytes of a TLV (a view, not a copy). */
export const contentOf = (bytes: Uint8Array, tlv: Tlv): Uint8Array => bytes.subarray(tlv.contentStart, tlv.end);

/** The whole encoding of a TLV, tag and length included (a view, not a copy). */
export const encodingOf = (bytes: Uint8Array, tlv: Tlv): Uint8Array => bytes.subarray(tlv.start, tlv.end);

/** OIDs already decoded, by a hash of their bytes: a certificate or CSR repeats a handful of them. */
const decodedOids = new Map<number, { value: Uint8Array; text: string }>();
const DECODED_OIDS_KEPT = 256;

/** Dotted text of an OBJECT IDENTIFIER's value bytes. */
export function decodeOid(value: Uint8Array): string {
  // FNV-1a: the pipeline reads about twenty OIDs per certificate, nearly all seen before, and the
  // lookup spares the arrays and strings of decoding them again.
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) hash = Math.imul(hash ^ value[i]!, 0x01000193);
  const known = decodedOids.get(hash);
  if (known && Buffer.compare(known.value, value) === 0) return known.text;
  const text = decodeOidBytes(value);
  if (decodedOids.size >= DECODED_OIDS_KEPT) decodedOids.clear();
  // A copy of its own: a Buffer's slice() is a view, which would pin the buffer read and change with it.
  decodedOids.set(hash, { value: new Uint8Array(value), text });
  return text;
}

function decodeOidBytes(value: Uint8Array): string {
  if (value.length === 0 || value[value.length - 1]! & 0x80) throw new DerError('OBJECT IDENTIFIER: empty or truncated');
  let text = '';
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const b = value[i]!;
    if (n === 0 && b === 0x80) throw new DerError('OBJECT IDENTIFIER: non-minimal arc');
    n = n * 128 + (b & 0x7f);
    if (n > Number.MAX_SAFE_INTEGER / 128) throw new DerError('OBJECT IDENTIFIER: arc too large');
    if (!(b & 0x80)) {
      // The first subidentifier holds the first two arcs (X.690 8.19.4).
      text = text === '' ? (n < 40 ? `0.${n}` : n < 80 ? `1.${n - 40}` : `2.${n - 80}`) : `${text}.${n}`;
      n = 0;
    }
  }
  return text;
}

/** The OID inside a TLV that must be an OBJECT IDENTIFIER. */
export function readOid(bytes: Uint8Array, tlv: Tlv, what: string): string {
  return decodeOid(contentOf(bytes, expectTag(tlv, TAG.oid, what)));
}

// ---- writing ---------------------------------------------------------------------------------

function lengthBytes(length: number): number[] {
  if (length < 0x80) return [length];
  const out: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) out.unshift(n & 0xff);
  return [0x80 | out.length, ...out];
}

/** A TLV with `tag` around the concatenation of `parts`. */
export function tlv(tag: number, ...parts: Uint8Array[]): Buffer {
  let length = 0;
  for (const p of parts) length += p.length;
  const header = [tag, ...lengthBytes(length)];
  const out = Buffer.allocUnsafe(header.length + length);
  out.set(header, 0);
  let at = header.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export const sequence = (...parts: Uint8Array[]): Buffer => tlv(TAG.sequence, ...parts);
/** A SET with exactly these elements, in this order (callers with several elements sort them: DER SET OF). */
export const set = (...parts: Uint8Array[]): Buffer => tlv(TAG.set, ...parts);
export const octetString = (value: Uint8Array): Buffer => tlv(TAG.octetString, value);
export const utf8String = (value: string): Buffer => tlv(TAG.utf8String, Buffer.from(value, 'utf8'));
export const printableString = (value: string): Buffer => tlv(TAG.printableString, Buffer.from(value, 'latin1'));
export const ia5String = (value: string): Buffer => tlv(TAG.ia5String, Buffer.from(value, 'latin1'));
export const booleanTrue = (): Buffer => Buffer.from([TAG.boolean, 1, 0xff]);
export const nullValue = (): Buffer => Buffer.from([TAG.null, 0]);
/** A BIT STRING of whole bytes (no unused bits). */
export const bitString = (value: Uint8Array): Buffer => tlv(TAG.bitString, Buffer.from([0]), value);
/** `[n] EXPLICIT` around one encoded value. */
export const explicit = (n: number, ...parts: Uint8Array[]): Buffer => tlv(contextTag(n, true), ...parts);

const oidCache = new Map<string, Buffer>();

/** An OBJECT IDENTIFIER from its dotted text (cached: the pipeline writes the same few). */
export function oid(dotted: string): Buffer {
  const cached = oidCache.get(dotted);
  if (cached) return cached;
  const arcs = dotted.split('.').map((a) => {
    if (!/^\d+$/.test(a)) throw new DerError(`OBJECT IDENTIFIER "${dotted}": arcs must be whole numbers`);
    return Number(a);
  });
  if (arcs.length < 2 || arcs[0]! > 2) throw new DerError(`OBJECT IDENTIFIER "${dotted}": needs at least two arcs, the first 0, 1 or 2`);
  const body: number[] = [];
  for (const arc of [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)]) {
    const chunk = [arc & 0x7f];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) chunk.unshift(0x80 | (n & 0x7f));
    body.push(...chunk);
  }
  const encoded = tlv(TAG.oid, Uint8Array.from(body));
  oidCache.set(dotted, encoded);
  return encoded;
}

/** A non-negative INTEGER from its big-endian magnitude (leading zeros dropped, a sign octet added when needed). */
export function unsignedInteger(magnitude: Uint8Array): Buffer {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const body = magnitude.subarray(start);
  return body.length > 0 && body[0]! & 0x80 ? tlv(TAG.integer, Buffer.from([0]), body) : tlv(TAG.integer, body.length ? body : Buffer.from([0]));
}

/** RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050; whole seconds, UTC. */
export function time(date: Date): Buffer {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  const year = date.getUTCFullYear();
  if (year < 1950 || year > 9999) throw new DerError(`time: year ${year} cannot be written in a certificate`);
  return year < 2050 ? tlv(TAG.utcTime, Buffer.from(`${digits.slice(2)}Z`, 'latin1')) : tlv(TAG.generalizedTime, Buffer.from(`${digits}Z`, 'latin1'));
}

/** GeneralizedTime in whole seconds, UTC (RFC 6960 times: producedAt, thisUpdate, revocationTime). */
export function generalizedTime(date: Date): Buffer {
  const digits = date.toISOString().slice(0, 19).replace(/[-T:]/g, '');
  return tlv(TAG.generalizedTime, Buffer.from(`${digits}Z`, 'latin1'));
}

/** An ENUMERATED of a small value (OCSP response status, CRL reason). */
export const enumerated = (value: number): Buffer => Buffer.from([0x0a, 1, value]);

/**
 * An ECDSA signature as WebCrypto makes it (r || s, each half the length) in the DER form
 * X.509 carries: SEQUENCE { INTEGER r, INTEGER s }.
 */
export function ecdsaSignatureToDer(raw: Uint8Array): Buffer {
  if (raw.length === 0 || raw.length % 2) throw new DerError(`ECDSA signature: ${raw.length} bytes is not r || s`);
  const half = raw.length / 2;
  return sequence(unsignedInteger(raw.subarray(0, half)), unsignedInteger(raw.subarray(half)));
}
