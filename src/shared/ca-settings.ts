import { z } from 'zod';
import { ipAddressBytes } from './validation/ip-address';

// Settings of each CA connector, as stored in an issuing template.
// Secrets (ACME EAB HMAC key, cloud API key) are never stored here in clear:
// `...SecretId` names a secret sealed under the DEK in the vault.

export const builtinCaSettingsSchema = z.object({ type: z.literal('BUILTIN') });

/** Offline: the satellite makes the key and CSR; the user takes the CSR to any CA and imports the certificate later. */
export const manualCaSettingsSchema = z.object({ type: z.literal('MANUAL') });

export const acmeChallengeSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('http-01'),
    /** standalone: a built-in responder; webroot: files written under webroot/.well-known/acme-challenge. */
    mode: z.enum(['standalone', 'webroot']).default('standalone'),
    /**
     * Where the built-in responder listens while a challenge is open. Every interface (0.0.0.0) by
     * default, because a public CA must reach it on port 80; it answers only
     * /.well-known/acme-challenge/<token> and only during the order. 127.0.0.1 behind a reverse proxy.
     */
    listenAddress: z
      .string()
      .refine((v) => ipAddressBytes(v) !== undefined, 'listenAddress must be an IP address of this machine, such as 0.0.0.0 (every interface) or 127.0.0.1 (behind a reverse proxy)')
      .default('0.0.0.0'),
    port: z.number().int().min(1).max(65535).default(80),
    webroot: z.string().optional(),
  }),
  z.object({
    type: z.literal('dns-01'),
    /** Run with the record name and value as arguments (and ACME_DNS_ACTION=present|cleanup). */
    hookCommand: z.string().min(1, 'hookCommand is required for dns-01'),
    propagationSeconds: z.number().int().min(0).max(3600).default(0),
  }),
]);

export const acmeCaSettingsSchema = z.object({
  type: z.literal('ACME'),
  directoryUrl: z.url({ error: 'directoryUrl must be an absolute URL' }),
  contactEmail: z.email().optional(),
  termsOfServiceAgreed: z.boolean().default(false),
  eabKeyId: z.string().optional(),
  eabHmacKeySecretId: z.string().optional(),
  challenge: acmeChallengeSchema,
  /** PEM of a CA to trust for the directory's TLS (private ACME servers such as step-ca or pebble). */
  tlsCaCertificatePem: z.string().optional(),
  /** How long one order (challenges, finalize, download) may take before it fails as retryable; 300 when absent. */
  orderTimeoutSeconds: z.number().int().min(10).max(3600).optional(),
  /**
   * The certificate profile newOrder asks for (draft-ietf-acme-profiles), one the CA's directory
   * lists in meta.profiles: Let's Encrypt's classic, tlsserver or shortlived (6 days). Absent: the CA's default.
   */
  profile: z
    .string()
    .trim()
    .max(64, 'profile is at most 64 characters')
    .regex(/^[A-Za-z0-9._-]*$/, 'profile is a name from the CA\'s directory, such as classic, tlsserver or shortlived')
    .transform((p) => p || undefined)
    .optional(),
});

export const cloudCaSettingsSchema = z.object({
  type: z.literal('CLOUD'),
  baseUrl: z.url({ error: 'baseUrl must be an absolute URL such as https://api.venafi.cloud' }),
  /** Set by the satellite when the template is saved with connectorSecrets.apiKey. */
  apiKeySecretId: z.string().min(1).optional(),
  remoteApplicationId: z.uuid(),
  remoteCertificateIssuingTemplateId: z.uuid(),
  pollIntervalMs: z.number().int().min(100).default(2000),
  timeoutMs: z.number().int().min(1000).default(300_000),
});

export const caSettingsSchema = z.discriminatedUnion('type', [builtinCaSettingsSchema, manualCaSettingsSchema, acmeCaSettingsSchema, cloudCaSettingsSchema]);
export type CaSettings = z.output<typeof caSettingsSchema>;
export type AcmeCaSettings = z.output<typeof acmeCaSettingsSchema>;
export type CloudCaSettings = z.output<typeof cloudCaSettingsSchema>;

/**
 * The program these settings make the satellite run (a dns-01 hook), if any. Saving such a
 * setting is code execution as the satellite's user, so front ends ask for more than a session.
 */
export function commandRunBy(settings: { type: string; challenge?: { type: string; hookCommand?: string } }): string | undefined {
  if (settings.type !== 'ACME' || settings.challenge?.type !== 'dns-01') return undefined;
  return settings.challenge.hookCommand;
}
