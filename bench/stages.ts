import { rpcInputSchemas } from '../src/shared/client';
import { csrAttributesSchema } from '../src/shared/csr-attributes';
import { createPrivateKey } from 'node:crypto';
import { createCaMaterial } from '../src/main/core/ca/builtin/create-ca';
import { issueEndEntity, issuerOf } from '../src/main/core/pki/end-entity';
import { certificateFacts } from '../src/main/core/pki/certificate-facts';
import { createCsr, toPem } from '../src/main/core/keys';
import { generateNodeKeyPairFor } from '../src/main/core/keys/node-key-pair';
import { csrPublicKeyInfo } from '../src/main/core/keys/parse';
import { KEY_TYPES, requestBody } from './key-types';
import { summarize } from './stats';
import { csrNames } from '../src/main/core/pki/csr-reader';

// Where one P-256 request's time goes: each step of the pipeline timed on its own, with the same
// functions the pipeline calls, so the gap between the floor and the pipeline has names.

export interface StageTiming {
  stage: string;
  medianMs: number;
}

export async function benchStages(repeats: number): Promise<StageTiming[]> {
  const k = KEY_TYPES.find((t) => t.label === 'P-256')!;
  const ca = await createCaMaterial();
  const issuer = issuerOf(ca.intermediatePem, createPrivateKey({ key: ca.intermediateKeyPkcs8, format: 'der', type: 'pkcs8' }));
  const body = requestBody('7b0c1f0e-6f53-4c52-9a0e-1d2c3b4a5f60', '0e9d8c7b-6a59-4877-8665-544332211000', k, 1);
  const attrs = csrAttributesSchema.parse((body as { csrAttributes: unknown }).csrAttributes);

  const samples = new Map<string, number[]>();
  const time = async <T>(stage: string, fn: () => T | Promise<T>): Promise<T> => {
    const started = performance.now();
    const value = await fn();
    samples.set(stage, [...(samples.get(stage) ?? []), performance.now() - started]);
    return value;
  };
  for (let i = 0; i < repeats + 3; i++) {
    if (i === 3) samples.clear(); // the first rounds warm up the JIT
    await time('parse the request body (zod)', () => rpcInputSchemas.requestCertificate.parse(body));
    const keys = await time('key pair + export (node:crypto)', () => generateNodeKeyPairFor(k.params));
    const csr = await time('build (DER) and sign the CSR', () => createCsr(attrs, keys));
    // As the built-in CA's one hand-off signs it: the CSR it has just made is read, not verified.
    const cert = await time('CA: read CSR, build (DER) + sign certificate (P-384)', () =>
      issueEndEntity({ csrPem: csr.pem, validitySeconds: 90 * 86_400, extendedKeyUsages: ['SERVER_AUTH', 'CLIENT_AUTH'], checked: csrNames(csr.pem), issuer }, { keyType: keys.privateKey.asymmetricKeyType }),
    );
    const pem = toPem(cert.der, 'CERTIFICATE');
    await time("read the certificate's facts (node + DER walk)", () => certificateFacts(pem));
    await time("match it to the CSR's public key (DER walk)", () => csrPublicKeyInfo(csr.pem));
  }
  return [...samples].map(([stage, ms]) => ({ stage, medianMs: summarize(ms).medianMs }));
}
