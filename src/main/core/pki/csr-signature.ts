import { constants, verify, type KeyObject } from 'node:crypto';
import { childrenOf, contentOf, contextTag, DerError, readOid, readWhole, TAG } from './der';
import { HASH_OIDS, OID, VERIFIABLE_SIGNATURES } from './oids';
import type { CsrContents } from './csr-reader';
import { publicKeyFromSpki } from './public-key';

// The one check of a CSR's proof of possession: its signature, made by the private half of the
// public key it carries, over its certificationRequestInfo. Node's verifier does it for every
// algorithm, RSASSA-PSS included (its parameters are read here).

/** The CSR's public key as Node reads it; throws DerError when it cannot be read. */
export function csrPublicKey(csr: CsrContents): KeyObject {
  try {
    return publicKeyFromSpki(csr.spki);
  } catch (error) {
    throw new DerError(`its public key cannot be read (${(error as Error).message})`);
  }
}

interface PssParameters {
  hash: string;
  saltLength: number;
}

/** RSASSA-PSS-params (RFC 4055 3.1); MGF1 must use the same hash, as Node's verifier does. */
function pssParameters(encoded: Uint8Array | undefined): PssParameters {
  const result: PssParameters = { hash: 'sha1', saltLength: 20 };
  if (!encoded) return result;
  const what = 'RSASSA-PSS parameters';
  let mgfHash = 'sha1';
  for (const field of childrenOf(encoded, readWhole(encoded, TAG.sequence, what), what)) {
    const [inner] = childrenOf(encoded, field, what);
    if (!inner) throw new DerError(`${what}: an empty field`);
    if (field.tag === contextTag(0, true)) {
      const [hashOid] = childrenOf(encoded, inner, what);
      const hash = hashOid && HASH_OIDS[readOid(encoded, hashOid, what)];
      if (!hash) throw new DerError(`${what}: an unknown hash algorithm`);
      result.hash = hash;
    } else if (field.tag === contextTag(1, true)) {
      const [mgfOid, mgfParams] = childrenOf(encoded, inner, what);
      if (!mgfOid || readOid(encoded, mgfOid, what) !== OID.mgf1 || !mgfParams) throw new DerError(`${what}: the mask generation function must be MGF1`);
      const [hashOid] = childrenOf(encoded, mgfParams, what);
      const hash = hashOid && HASH_OIDS[readOid(encoded, hashOid, what)];
      if (!hash) throw new DerError(`${what}: MGF1 with an unknown hash algorithm`);
      mgfHash = hash;
    } else if (field.tag === contextTag(2, true)) {
      const bytes = contentOf(encoded, inner);
      if (inner.tag !== TAG.integer || bytes.length > 2) throw new DerError(`${what}: saltLength must be a small INTEGER`);
      result.saltLength = bytes.reduce((n, b) => n * 256 + b, 0);
    }
  }
  if (mgfHash !== result.hash) throw new DerError(`${what}: MGF1 with ${mgfHash} under ${result.hash} is not supported`);
  return result;
}

/** True when the CSR is signed by the private key of the public key it carries. Throws DerError when it cannot be checked. */
export function csrSignatureValid(csr: CsrContents, publicKey: KeyObject = csrPublicKey(csr)): boolean {
  const { oid, parameters } = csr.signatureAlgorithm;
  if (oid === OID.rsassaPss) {
    const type = publicKey.asymmetricKeyType;
    if (type !== 'rsa' && type !== 'rsa-pss') return false;
    const pss = pssParameters(parameters);
    return verify(pss.hash, csr.info, { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength }, csr.signature);
  }
  const algorithm = VERIFIABLE_SIGNATURES[oid];
  if (!algorithm) throw new DerError(`the signature algorithm ${oid} is not one the satellite checks; sign the CSR with RSA (PKCS#1 v1.5 or PSS), ECDSA or Ed25519`);
  if (publicKey.asymmetricKeyType !== algorithm.keyType) return false;
  return verify(algorithm.hash, csr.info, publicKey, csr.signature);
}
