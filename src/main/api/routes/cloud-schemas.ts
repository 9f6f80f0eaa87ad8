import { z } from 'zod';
import { certificateContentsOptionsSchema, keystoreExportOptionsSchema } from '../../../shared/exports';
import { uuidSchema } from '../../../shared/settings';

// Shapes only the cloud-compatible API has; everything else comes from src/shared.

export const idParamsSchema = z.object({ id: uuidSchema });

export const dekHashParamsSchema = z.object({
  dekHash: z.string().min(1, 'dekHash is required').max(256, 'dekHash is at most 256 characters').regex(/^[A-Za-z0-9+/=_-]+$/, 'dekHash must be the hash the certificate reports'),
});

export const nameParamsSchema = z.object({ name: z.string().min(1, 'name is required').max(128, 'name is at most 128 characters') });

export const templateAliasParamsSchema = z.object({
  appName: z.string().min(1, 'appName is required').max(128, 'appName is at most 128 characters'),
  alias: z.string().min(1, 'alias is required').max(128, 'alias is at most 128 characters'),
});

export const caParamsSchema = z.object({ ca: z.string().min(1, 'ca is required').max(32, 'ca is at most 32 characters') });
export const caAccountParamsSchema = caParamsSchema.extend({ accountId: z.string().min(1, 'accountId is required').max(64, 'accountId is at most 64 characters') });

/** The cloud's retirement and recovery body; addToBlocklist is the cloud's and means nothing here. */
export const certificateIdsBodySchema = z.object({
  certificateIds: z.array(uuidSchema, { error: 'certificateIds must be a list of certificate ids' }).min(1, 'certificateIds: name at least one certificate').max(1000),
  addToBlocklist: z.boolean().optional(),
});

export const contentsQuerySchema = certificateContentsOptionsSchema;

const sealed = (field: string) =>
  z
    .string({ error: `${field} is required: a passphrase sealed with crypto_box_seal to GET /v1/edgeencryptionkeys/{dekHash}, base64` })
    .max(8192, `${field} is at most 8192 characters`)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, `${field} must be base64 (libsodium crypto_box_seal output)`);

/** The cloud's keystore request body, plus the satellite's pkcs12Profile. */
export const keystoreRequestBodySchema = z.object({
  exportFormat: keystoreExportOptionsSchema.shape.exportFormat,
  encryptedPrivateKeyPassphrase: sealed('encryptedPrivateKeyPassphrase').min(1, 'encryptedPrivateKeyPassphrase is required'),
  /** The JKS store password; '' or absent means "same as the key passphrase" where the format allows. */
  encryptedKeystorePassphrase: sealed('encryptedKeystorePassphrase').optional(),
  certificateLabel: z.string({ error: 'certificateLabel must be a string ("" for the certificate\'s common name)' }).optional(),
  pkcs12Profile: keystoreExportOptionsSchema.shape.pkcs12Profile,
});
export type KeystoreRequestBody = z.output<typeof keystoreRequestBodySchema>;

/**
 * The cloud's certificate import (POST /outagedetection/v1/certificates), as VCert's
 * ImportCertificate sends it (pkg/venafi/cloud/cloud.go importRequest): base64 DER, with issuers.
 */
export const certificateImportBodySchema = z.strictObject({
  certificates: z
    .array(
      z.strictObject({
        certificate: z.string().min(1, 'certificate is required: the base64 DER of the certificate').max(100_000),
        issuerCertificates: z.array(z.string().max(100_000)).max(10).optional(),
        applicationIds: z.array(uuidSchema).min(1, 'applicationIds: name the application the certificate belongs to').max(1, 'applicationIds: the satellite files an imported certificate under one application'),
        apiClientInformation: z.object({ type: z.string().optional(), identifier: z.string().optional() }).optional(),
        certificateUsageMetadata: z.array(z.record(z.string(), z.unknown())).max(100).optional(),
      }),
    )
    .min(1, 'certificates: give at least one certificate')
    .max(100),
});
