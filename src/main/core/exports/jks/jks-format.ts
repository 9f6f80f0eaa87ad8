import { createHash, timingSafeEqual } from 'node:crypto';
import { WrongPasswordError } from '../pbe';
import { javaPasswordBytes } from './key-protector';

/*
 * Java KeyStore (JKS), as sun.security.provider.JavaKeyStore writes it. All integers big-endian.
 *
 *   u32  magic    0xFEEDFEED
 *   u32  version  2
 *   u32  count    number of entries
 *   count x entry:
 *     u32  tag    1 = PrivateKeyEntry, 2 = trustedCertEntry
 *     UTF  alias  (u16 byte length + Java "modified UTF-8"); JKS lower-cases aliases (Locale.ENGLISH)
 *     u64  date   creation time, ms since the epoch
 *     tag 1:  u32 length + EncryptedPrivateKeyInfo (Sun KeyProtector, see key-protector.ts)
 *             u32 chain length, then per certificate: UTF type ("X.509"), u32 length + DER
 *     tag 2:  UTF type ("X.509"), u32 length + DER
 *   20 bytes  SHA-1( store password as UTF-16BE || "Mighty Aphrodite" (UTF-8) || every byte above )
 *
 * The store password only seals the file (the trailing digest); each private key has its
 * own key password (KeyProtector). This module writes one PrivateKeyEntry with its chain.
 */

const MAGIC = 0xfeedfeed;
const VERSION = 2;
const TAG_PRIVATE_KEY = 1;
const TAG_TRUSTED_CERT = 2;
const WHITENER = Buffer.from('Mighty Aphrodite', 'utf8');

export interface JksPrivateKeyEntry {
  alias: string;
  date: Date;
  /** EncryptedPrivateKeyInfo from protectKey(). */
  protectedKey: Buffer;
  /** DER certificates, end entity first. */
  chain: Buffer[];
}

/** Java's DataOutput.writeUTF encoding: NUL and non-ASCII as 2- or 3-byte sequences per UTF-16 unit. */
export function modifiedUtf8(value: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x01 && c <= 0x7f) bytes.push(c);
    else if (c <= 0x7ff) bytes.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else bytes.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  if (bytes.length > 0xffff) throw new RangeError('JKS: string longer than 65535 bytes');
  const len = Buffer.alloc(2);
  len.writeUInt16BE(bytes.length);
  return Buffer.concat([len, Buffer.from(bytes)]);
}

function decodeModifiedUtf8(bytes: Buffer): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i += 1;
    } else if ((b & 0xe0) === 0xc0) {
      out += String.fromCharCode(((b & 0x1f) << 6) | (bytes[i + 1]! & 0x3f));
      i += 2;
    } else {
      out += String.fromCharCode(((b & 0x0f) << 12) | ((bytes[i + 1]! & 0x3f) << 6) | (bytes[i + 2]! & 0x3f));
      i += 3;
    }
  }
  return out;
}

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

function storeDigest(storePassword: string, body: Buffer): Buffer {
  const pw = javaPasswordBytes(storePassword);
  const digest = createHash('sha1').update(pw).update(WHITENER).update(body).digest();
  pw.fill(0);
  return digest;
}

/** Java's alias normalisation for JKS. */
export function jksAlias(label: string): string {
  return label.toLowerCase();
}

export function writeJks(entry: JksPrivateKeyEntry, storePassword: string): Buffer {
  const date = Buffer.alloc(8);
  date.writeBigUInt64BE(BigInt(entry.date.getTime()));
  const parts: Buffer[] = [u32(MAGIC), u32(VERSION), u32(1), u32(TAG_PRIVATE_KEY), modifiedUtf8(jksAlias(entry.alias)), date];
  parts.push(u32(entry.protectedKey.length), entry.protectedKey, u32(entry.chain.length));
  for (const cert of entry.chain) parts.push(modifiedUtf8('X.509'), u32(cert.length), cert);
  const body = Buffer.concat(parts);
  return Buffer.concat([body, storeDigest(storePassword, body)]);
}

/** A bounds-checked cursor: a truncated file is an error, never an out-of-range read. */
class Reader {
  private offset = 0;
  constructor(private readonly bytes: Buffer) {}
  take(n: number, what: string): Buffer {
    if (n < 0 || this.offset + n > this.bytes.length) throw new Error(`JKS: truncated file while reading ${what}`);
    const out = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }
  u16 = (what: string) => this.take(2, what).readUInt16BE();
  u32 = (what: string) => this.take(4, what).readUInt32BE();
  u64 = (what: string) => Number(this.take(8, what).readBigUInt64BE());
  utf = (what: string) => decodeModifiedUtf8(this.take(this.u16(what), what));
  get position(): number {
    return this.offset;
  }
}

/** Reads a JKS written by writeJks (or keytool): checks the store digest, returns the private-key entries. */
export function readJks(bytes: Buffer, storePassword: string): { privateKeys: JksPrivateKeyEntry[]; trustedCertificates: number } {
  if (bytes.length < 12 + 20) throw new Error('JKS: file too short');
  const body = bytes.subarray(0, bytes.length - 20);
  const expected = storeDigest(storePassword, body);
  if (!timingSafeEqual(expected, bytes.subarray(bytes.length - 20))) throw new WrongPasswordError('JKS store password');
  const r = new Reader(body);
  if (r.u32('magic') !== MAGIC) throw new Error('JKS: bad magic, not a JKS file');
  const version = r.u32('version');
  if (version !== VERSION) throw new Error(`JKS: version ${version}, expected 2`);
  const count = r.u32('entry count');
  const privateKeys: JksPrivateKeyEntry[] = [];
  let trustedCertificates = 0;
  for (let i = 0; i < count; i++) {
    const tag = r.u32('entry tag');
    const alias = r.utf('alias');
    const date = new Date(r.u64('date'));
    if (tag === TAG_PRIVATE_KEY) {
      const protectedKey = Buffer.from(r.take(r.u32('key length'), 'protected key'));
      const chainLength = r.u32('chain length');
      if (chainLength > 64) throw new Error(`JKS: chain length ${chainLength} is implausible`);
      const chain: Buffer[] = [];
      for (let c = 0; c < chainLength; c++) {
        const type = r.utf('certificate type');
        if (type !== 'X.509') throw new Error(`JKS: certificate type ${type}, expected X.509`);
        chain.push(Buffer.from(r.take(r.u32('certificate length'), 'certificate')));
      }
      privateKeys.push({ alias, date, protectedKey, chain });
    } else if (tag === TAG_TRUSTED_CERT) {
      r.utf('certificate type');
      r.take(r.u32('certificate length'), 'certificate');
      trustedCertificates++;
    } else {
      throw new Error(`JKS: unknown entry tag ${tag}`);
    }
  }
  if (r.position !== body.length) throw new Error('JKS: trailing bytes after the last entry');
  return { privateKeys, trustedCertificates };
}
