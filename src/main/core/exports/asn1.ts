import * as asn1js from 'asn1js';

// Thin helpers over asn1js: build DER, and read it back with errors that say which
// structure was malformed (the readers here only ever read what the writers produced,
// so a mismatch is a bug or a corrupted file, never something to guess around).

export type Asn1 = asn1js.AsnType;

export const oid = (value: string) => new asn1js.ObjectIdentifier({ value });
export const int = (value: number) => new asn1js.Integer({ value });
export const octets = (bytes: Uint8Array) => new asn1js.OctetString({ valueHex: bytes });
export const seq = (...value: Asn1[]) => new asn1js.Sequence({ value });
export const nul = () => new asn1js.Null();
export const bmp = (value: string) => new asn1js.BmpString({ value });
/** `[n] EXPLICIT` context-specific wrapper. */
export const explicit = (tagNumber: number, ...value: Asn1[]) =>
  new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber }, value });
/** `[n] IMPLICIT OCTET STRING`. */
export const implicitOctets = (tagNumber: number, bytes: Uint8Array) =>
  new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber }, valueHex: bytes });

/** DER `SET OF`: elements sorted by their encodings (X.690 11.6); asn1js keeps insertion order. */
export function setOf(...value: Asn1[]): asn1js.Set {
  const sorted = value
    .map((v) => ({ v, der: der(v) }))
    .sort((a, b) => Buffer.compare(a.der, b.der))
    .map((x) => x.v);
  return new asn1js.Set({ value: sorted });
}

export function der(node: Asn1): Buffer {
  return Buffer.from(node.toBER(false));
}

export class Asn1ReadError extends Error {
  constructor(what: string) {
    super(`malformed ${what}`);
    this.name = 'Asn1ReadError';
  }
}

/** Parses exactly one DER value filling all of `bytes`. */
export function parse(bytes: Uint8Array, what: string): Asn1 {
  const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { offset, result } = asn1js.fromBER(view);
  if (offset === -1 || offset !== view.byteLength || result.error) throw new Asn1ReadError(what);
  return result;
}

export function children(node: Asn1 | undefined, what: string, min = 0): Asn1[] {
  const block = node?.valueBlock as { value?: unknown } | undefined;
  if (!node || !Array.isArray(block?.value) || block.value.length < min) throw new Asn1ReadError(what);
  return block.value as Asn1[];
}

export function readOid(node: Asn1 | undefined, what: string): string {
  if (!(node instanceof asn1js.ObjectIdentifier)) throw new Asn1ReadError(`${what} (expected an OID)`);
  return node.valueBlock.toString();
}

export function readInt(node: Asn1 | undefined, what: string): number {
  if (!(node instanceof asn1js.Integer)) throw new Asn1ReadError(`${what} (expected an INTEGER)`);
  return node.valueBlock.valueDec;
}

/** Content of an OCTET STRING, primitive or (BER) constructed, or of an IMPLICIT-tagged primitive. */
export function readOctets(node: Asn1 | undefined, what: string): Buffer {
  if (node instanceof asn1js.OctetString) {
    if (node.valueBlock.isConstructed) return Buffer.concat(node.valueBlock.value.map((c) => readOctets(c, what)));
    return Buffer.from(node.valueBlock.valueHexView);
  }
  if (node instanceof asn1js.Primitive) return Buffer.from(node.valueBlock.valueHexView);
  if (node instanceof asn1js.Constructed && node.idBlock.tagClass === 3) {
    return Buffer.concat(node.valueBlock.value.map((c) => readOctets(c, what)));
  }
  throw new Asn1ReadError(`${what} (expected an OCTET STRING)`);
}

export function readBmp(node: Asn1 | undefined, what: string): string {
  if (!(node instanceof asn1js.BmpString)) throw new Asn1ReadError(`${what} (expected a BMPString)`);
  return node.valueBlock.value;
}

/** The single value inside `[tagNumber] EXPLICIT`. */
export function readExplicit(node: Asn1 | undefined, tagNumber: number, what: string): Asn1 {
  if (!node || node.idBlock.tagClass !== 3 || node.idBlock.tagNumber !== tagNumber) throw new Asn1ReadError(`${what} (expected [${tagNumber}])`);
  const inner = children(node, what, 1)[0];
  if (!inner) throw new Asn1ReadError(what);
  return inner;
}
