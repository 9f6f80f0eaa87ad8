import { csrAttributesSchema, type CsrAttributes } from '../../../shared/csr-attributes';
import { fieldErrorsFrom } from '../../../shared/field-errors';
import { createCsr, type CreatedCsr } from './csr';
import { InvalidCsrAttributesError } from './errors';
import { generateNodeKeyPairFor, type NodeKeyPair } from './node-key-pair';

export { createCsr, type CreatedCsr } from './csr';
export { InvalidCsrAttributesError } from './errors';
export { generateNodeKeyPairFor, type NodeKeyPair } from './node-key-pair';
export type { GeneratedKeyPair } from './key-material';
export {
  CsrParseError,
  importPrivateKey,
  keyPairFromPkcs8,
  keyTypeParametersFromSpki,
  parseCsr,
  publicKeysEqual,
  spkiFromPkcs8,
  UnsupportedKeyError,
  type ParsedCsr,
} from './parse';
export { fromPem, toPem } from '../pki/pem';

export interface KeyAndCsr {
  /** The attributes as validated and normalised (punycode, CN in the SANs, ...): what the CSR holds. */
  attributes: CsrAttributes;
  keys: NodeKeyPair;
  csr: CreatedCsr;
}

/**
 * Validate first, so bad input makes no key at all, then generate the pair and sign the CSR, with
 * the same generator and CSR writer as the request pipeline's crypto job (crypto-jobs.ts), which
 * runs them on a worker. Throws InvalidCsrAttributesError with every problem at once.
 */
export async function generateKeyAndCsr(input: unknown): Promise<KeyAndCsr> {
  const parsed = csrAttributesSchema.safeParse(input);
  if (!parsed.success) throw new InvalidCsrAttributesError(fieldErrorsFrom(parsed.error));
  const keys = await generateNodeKeyPairFor(parsed.data.keyTypeParameters);
  const csr = await createCsr(parsed.data, keys);
  return { attributes: parsed.data, keys, csr };
}
