import { z } from 'zod';

export const RSA_KEY_LENGTHS = [2048, 3072, 4096] as const;
export type RsaKeyLength = (typeof RSA_KEY_LENGTHS)[number];

/** The cloud's curve names. ED25519 is a satellite extension: the cloud refuses it for ASK. */
export const EC_CURVES = ['P256', 'P384', 'P521', 'ED25519'] as const;
export type EcCurve = (typeof EC_CURVES)[number];

export const rsaKeyTypeParametersSchema = z.object({
  keyType: z.literal('RSA'),
  keyLength: z
    .union([z.literal(2048), z.literal(3072), z.literal(4096)], {
      error: 'keyLength must be one of 2048, 3072, 4096',
    })
    .default(2048),
});

export const ecKeyTypeParametersSchema = z.object({
  keyType: z.literal('EC'),
  keyCurve: z.enum(EC_CURVES, { error: 'keyCurve must be one of P256, P384, P521, ED25519' }).default('P256'),
});

export const keyTypeParametersSchema = z.discriminatedUnion('keyType', [rsaKeyTypeParametersSchema, ecKeyTypeParametersSchema], {
  error: 'keyType must be RSA or EC',
});

export type KeyTypeParameters = z.output<typeof keyTypeParametersSchema>;

/** A short label for people: "RSA 2048", "EC P-256", "Ed25519". */
export function describeKeyType(p: KeyTypeParameters): string {
  if (p.keyType === 'RSA') return `RSA ${p.keyLength}`;
  return p.keyCurve === 'ED25519' ? 'Ed25519' : `EC ${p.keyCurve.replace('P', 'P-')}`;
}
