import { z } from 'zod';
import { KEYSTORE_FORMATS } from './settings';

export const CHAIN_ORDERS = ['EE_FIRST', 'EE_ONLY', 'ROOT_FIRST'] as const;
export type ChainOrder = (typeof CHAIN_ORDERS)[number];

export const certificateContentsOptionsSchema = z.object({
  format: z.enum(['PEM', 'DER'], { error: 'format must be PEM or DER' }).default('PEM'),
  chainOrder: z.enum(CHAIN_ORDERS, { error: 'chainOrder must be EE_FIRST, EE_ONLY or ROOT_FIRST' }).default('EE_FIRST'),
});
export type CertificateContentsOptions = z.input<typeof certificateContentsOptionsSchema>;

/** Named PKCS#12 profiles, never algorithm pickers (see reference/keystores.md). */
export const PKCS12_PROFILES = ['MODERN', 'COMPATIBLE'] as const;
export type Pkcs12Profile = (typeof PKCS12_PROFILES)[number];

export const MIN_PASSPHRASE_LENGTH = 12;

const passphrase = (field: string) =>
  z.string({ error: `${field} is required` }).min(MIN_PASSPHRASE_LENGTH, `${field} must be at least ${MIN_PASSPHRASE_LENGTH} characters`).max(1024);

/** Keystore export, with passphrases in clear: only ever inside the main process. */
export const keystoreExportOptionsSchema = z.object({
  exportFormat: z.enum(KEYSTORE_FORMATS, { error: 'exportFormat must be PEM, PKCS12 or JKS' }),
  pkcs12Profile: z.enum(PKCS12_PROFILES).default('MODERN'),
  privateKeyPassphrase: passphrase('privateKeyPassphrase'),
  /** JKS store password; defaults to the key passphrase for PKCS12. */
  keystorePassphrase: passphrase('keystorePassphrase').optional(),
  /** The PKCS#12 friendly name and JKS alias; empty or absent means the certificate's common name (the cloud's clients send ""). */
  certificateLabel: z
    .string()
    .trim()
    .max(64, 'certificateLabel is at most 64 characters')
    .regex(/^[^\p{Cc}]*$/u, 'certificateLabel must not contain control characters')
    .optional()
    .transform((label) => label || undefined),
});
export type KeystoreExportOptions = z.input<typeof keystoreExportOptionsSchema>;

/** What an export produced: the bytes stay in the main process or go over HTTP; the renderer sees this summary. */
export interface ExportSummary {
  fileName: string;
  mediaType: string;
  /** Which scheme was used, as re-read from the written bytes, e.g. "PKCS#12 Modern: AES-256-CBC, PBKDF2-HMAC-SHA256, MAC HMAC-SHA256". */
  scheme: string;
  sizeBytes: number;
}
