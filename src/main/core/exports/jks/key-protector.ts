import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { children, der, nul, octets, oid, parse, readOctets, readOid, seq } from '../asn1';
import { OID } from '../oids';
import { WrongPasswordError } from '../pbe';

// sun.security.provider.KeyProtector, the JKS private-key protection:
//   salt      = 20 random bytes
//   keystream = D1 || D2 || ...,  D1 = SHA-1(pw || salt), Dn = SHA-1(pw || Dn-1), cut to the key length
//   protected = salt || (PKCS#8 XOR keystream) || SHA-1(pw || PKCS#8)
// where pw is the password as UTF-16BE (two bytes per Java char), wrapped as
//   EncryptedPrivateKeyInfo { AlgorithmIdentifier { 1.3.6.1.4.1.42.2.17.1.1, NULL }, OCTET STRING protected }.
// It is weak by design (Java's own docs say so); the store password's SHA-1 seal is no better.
// That is why the README steers Java users to PKCS#12 Modern and keeps JKS for old setups.

const SALT_BYTES = 20;
const DIGEST_BYTES = 20;

/** A Java char[] password as bytes: UTF-16BE, no terminator. */
export function javaPasswordBytes(password: string): Buffer {
  const out = Buffer.alloc(password.length * 2);
  for (let i = 0; i < password.length; i++) out.writeUInt16BE(password.charCodeAt(i), i * 2);
  return out;
}

function keystream(pw: Buffer, salt: Buffer, length: number): Buffer {
  const out = Buffer.alloc(Math.ceil(length / DIGEST_BYTES) * DIGEST_BYTES);
  let digest = salt;
  for (let offset = 0; offset < length; offset += DIGEST_BYTES) {
    digest = createHash('sha1').update(pw).update(digest).digest();
    digest.copy(out, offset);
  }
  return out.subarray(0, length);
}

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

export function protectKey(pkcs8: Uint8Array, password: string): Buffer {
  const pw = javaPasswordBytes(password);
  const plain = Buffer.from(pkcs8);
  const salt = randomBytes(SALT_BYTES);
  const stream = keystream(pw, salt, plain.length);
  const check = createHash('sha1').update(pw).update(plain).digest();
  const body = Buffer.concat([salt, xor(plain, stream), check]);
  plain.fill(0);
  stream.fill(0);
  pw.fill(0);
  return der(seq(seq(oid(OID.sunJksKeyProtector), nul()), octets(body)));
}

/** The PKCS#8 PrivateKeyInfo; the caller wipes it. */
export function recoverKey(encryptedPrivateKeyInfo: Uint8Array, password: string): Buffer {
  const [alg, data] = children(parse(encryptedPrivateKeyInfo, 'JKS protected key'), 'JKS protected key', 2);
  const algOid = readOid(children(alg, 'JKS key algorithm', 1)[0], 'JKS key algorithm');
  if (algOid !== OID.sunJksKeyProtector) throw new Error(`JKS: key protected with ${algOid}, expected Sun KeyProtector ${OID.sunJksKeyProtector}`);
  const body = readOctets(data, 'JKS protected key');
  if (body.length < SALT_BYTES + DIGEST_BYTES + 1) throw new Error('JKS: protected key is too short');
  const pw = javaPasswordBytes(password);
  const salt = body.subarray(0, SALT_BYTES);
  const encrypted = body.subarray(SALT_BYTES, body.length - DIGEST_BYTES);
  const stream = keystream(pw, salt, encrypted.length);
  const plain = xor(encrypted, stream);
  const check = createHash('sha1').update(pw).update(plain).digest();
  stream.fill(0);
  pw.fill(0);
  if (!timingSafeEqual(check, body.subarray(body.length - DIGEST_BYTES))) {
    plain.fill(0);
    throw new WrongPasswordError('JKS key password');
  }
  return plain;
}
