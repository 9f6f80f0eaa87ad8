import { randomBytes } from 'node:crypto';
import { KEY_TYPES, type BenchKeyType, type Iterations } from './key-types';
import { runConcurrent, type Throughput } from './stats';

// The least any implementation must do per certificate, in raw WebCrypto: make the key pair,
// export it, sign a CSR-sized message with it, sign a certificate-sized message with the CA's
// key (ECDSA P-384 / SHA-384, as the built-in CA), and AES-256-GCM the PKCS#8. No ASN.1, no
// storage: everything the pipeline adds on top is overhead to explain.

const subtle = globalThis.crypto.subtle;
/** Roughly what a one-name CSR and certificate carry before their signatures. */
const CSR_TBS_BYTES = 250;
const CERT_TBS_BYTES = 550;

export interface FloorResult {
  keyType: BenchKeyType['label'];
  timing: Throughput;
}

async function oneCertificate(k: BenchKeyType, caKey: CryptoKey, vaultKey: CryptoKey): Promise<void> {
  const pair = (await subtle.generateKey(k.generate, true, ['sign', 'verify'])) as CryptoKeyPair;
  const [pkcs8, spki] = await Promise.all([subtle.exportKey('pkcs8', pair.privateKey), subtle.exportKey('spki', pair.publicKey)]);
  const csrTbs = Buffer.concat([randomBytes(CSR_TBS_BYTES), Buffer.from(spki)]);
  const csrSignature = await subtle.sign(k.sign, pair.privateKey, csrTbs);
  const certTbs = Buffer.concat([randomBytes(CERT_TBS_BYTES), Buffer.from(spki), Buffer.from(csrSignature).subarray(0, 8)]);
  await subtle.sign({ name: 'ECDSA', hash: 'SHA-384' }, caKey, certTbs);
  await subtle.encrypt({ name: 'AES-GCM', iv: randomBytes(12) }, vaultKey, pkcs8);
}

export async function benchCryptoFloor(iterations: Iterations): Promise<FloorResult[]> {
  const caPair = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, false, ['sign', 'verify'])) as CryptoKeyPair;
  const vaultKey = (await subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt'])) as CryptoKey;
  const results: FloorResult[] = [];
  for (const k of KEY_TYPES) {
    await oneCertificate(k, caPair.privateKey, vaultKey); // warm-up
    const timing = await runConcurrent(iterations.floor(k), 1, () => oneCertificate(k, caPair.privateKey, vaultKey));
    results.push({ keyType: k.label, timing });
  }
  return results;
}
