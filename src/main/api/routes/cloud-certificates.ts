import type { FastifyInstance } from 'fastify';
import { certificateRequestBodySchema } from '../../../shared/certificate-request';
import { downloadKeystoreInputSchema, rpcInputSchemas } from '../../../shared/client';
import { ERROR_CODES } from '../../../shared/error-codes';
import { certificateSearchSchema } from '../../../shared/search';
import { SatelliteError } from '../../core/common/errors';
import type { ApiContext } from '../api-context';
import { apiError, parseOr400 } from '../cloud-error';
import { toCertificateRequestResponse, toCertificateResponse, toImportedCertificateInformation } from '../cloud-shapes';
import { cloudMediaType, sendExport } from '../export-reply';
import { certificateIdsBodySchema, certificateImportBodySchema, contentsQuerySchema, dekHashParamsSchema, idParamsSchema, keystoreRequestBodySchema } from './cloud-schemas';

/** Sealed passphrase fields as the caller named them, for error messages. */
const SEALED_FIELD_NAMES = { privateKeyPassphrase: 'encryptedPrivateKeyPassphrase', keystorePassphrase: 'encryptedKeystorePassphrase' };

async function openSealed(ctx: ApiContext, field: string, sealed: string): Promise<string> {
  try {
    return await ctx.service.openSealedPassphrase(sealed);
  } catch (error) {
    if (error instanceof SatelliteError) throw error;
    throw apiError(400, ERROR_CODES.VALIDATION, `${field}: could not be opened; seal the passphrase with crypto_box_seal to the key from GET /v1/edgeencryptionkeys/{dekHash}, then base64 it`, {
      field,
    });
  }
}

/** Certificate requests, certificates, contents, keystores, search and the edge key: the cloud's paths and shapes. */
export function cloudCertificateRoutes(ctx: ApiContext) {
  return async (app: FastifyInstance): Promise<void> => {
    app.post('/outagedetection/v1/certificaterequests', async (request, reply) => {
      const body = parseOr400(certificateRequestBodySchema, request.body);
      const record = await ctx.service.call('requestCertificate', body);
      // The cloud refuses a request its template's policy forbids with an error (10726 for a
      // subject value), not a 201: vcert and VCert then show the reason instead of polling a
      // request that will never be issued. The refusal stays listed under Requests in the UI.
      if (record.status === 'REJECTED' && record.errorInformation) {
        const { code, message, args } = record.errorInformation;
        throw apiError(400, code, message, { ...(Array.isArray(args) ? { violations: args } : {}), certificateRequestId: record.id });
      }
      return reply.code(201).send({ certificateRequests: [toCertificateRequestResponse(record, await ctx.identity())] });
    });

    app.get('/outagedetection/v1/certificaterequests/:id', async (request) => {
      const { id } = parseOr400(idParamsSchema, request.params);
      return toCertificateRequestResponse(await ctx.service.call('getCertificateRequest', { id }), await ctx.identity());
    });

    app.get('/outagedetection/v1/certificates/:id', async (request) => {
      const { id } = parseOr400(idParamsSchema, request.params);
      const detail = await ctx.service.call('getCertificate', { id });
      return toCertificateResponse(detail.certificate);
    });

    app.get('/outagedetection/v1/certificates/:id/contents', async (request, reply) => {
      const { id } = parseOr400(idParamsSchema, request.params);
      const options = parseOr400(contentsQuerySchema, request.query);
      const result = await ctx.service.exportCertificate({ id, ...options });
      return sendExport(reply, result, cloudMediaType(result.summary.mediaType));
    });

    app.post('/outagedetection/v1/certificates/:id/keystore', async (request, reply) => {
      const { id } = parseOr400(idParamsSchema, request.params);
      const body = parseOr400(keystoreRequestBodySchema, request.body);
      const privateKeyPassphrase = await openSealed(ctx, 'encryptedPrivateKeyPassphrase', body.encryptedPrivateKeyPassphrase);
      const keystorePassphrase = body.encryptedKeystorePassphrase
        ? await openSealed(ctx, 'encryptedKeystorePassphrase', body.encryptedKeystorePassphrase)
        : undefined;
      const input = parseOr400(
        downloadKeystoreInputSchema,
        { id, exportFormat: body.exportFormat, pkcs12Profile: body.pkcs12Profile, certificateLabel: body.certificateLabel, privateKeyPassphrase, keystorePassphrase },
        '',
        SEALED_FIELD_NAMES,
      );
      const result = await ctx.service.exportKeystore(input);
      return sendExport(reply, result, cloudMediaType(result.summary.mediaType));
    });

    // VCert's ImportCertificate: certificates made elsewhere, without keys; importing one again answers it as it is.
    app.post('/outagedetection/v1/certificates', async (request, reply) => {
      const { certificates } = parseOr400(certificateImportBodySchema, request.body);
      const identity = await ctx.identity();
      const imported = [];
      for (const [i, item] of certificates.entries()) {
        const derBase64 = [item.certificate, ...(item.issuerCertificates ?? [])];
        const input = parseOr400(rpcInputSchemas.importCertificate, { applicationId: item.applicationIds[0], derBase64, ifPresent: 'return' }, `certificates.${i}`);
        const record = await ctx.service.call('importCertificate', input).catch((error: unknown) => {
          // The core names its own field; the caller sent certificate.
          if (error instanceof SatelliteError && error.httpStatus === 400) throw apiError(400, error.code, `certificates.${i}.certificate: ${error.message}`, { field: `certificates.${i}.certificate` });
          throw error;
        });
        imported.push(toImportedCertificateInformation(record, identity, item.apiClientInformation));
      }
      return reply.code(201).send({ certificateInformations: imported });
    });

    app.post('/outagedetection/v1/certificatesearch', async (request) => {
      const search = parseOr400(certificateSearchSchema, request.body);
      const result = await ctx.service.call('searchCertificates', search);
      return { count: result.count, certificates: result.certificates.map(toCertificateResponse) };
    });

    app.post('/outagedetection/v1/certificates/retirement', async (request) => {
      const { certificateIds } = parseOr400(certificateIdsBodySchema, request.body);
      const certificates = await ctx.service.call('retireCertificates', { ids: certificateIds });
      return { count: certificates.length, certificates: certificates.map(toCertificateResponse) };
    });

    app.post('/outagedetection/v1/certificates/recovery', async (request) => {
      const { certificateIds } = parseOr400(certificateIdsBodySchema, request.body);
      const certificates = await ctx.service.call('recoverCertificates', { ids: certificateIds });
      return { count: certificates.length, certificates: certificates.map(toCertificateResponse) };
    });

    app.get('/v1/edgeencryptionkeys/:dekHash', async (request) => {
      const { dekHash } = parseOr400(dekHashParamsSchema, request.params);
      const key = await ctx.service.edgeEncryptionKey(dekHash);
      if (!key) throw apiError(404, ERROR_CODES.NOT_FOUND, 'dekHash: no edge encryption key has this hash; use the dekHash of GET /outagedetection/v1/certificates/{id}', { field: 'dekHash' });
      return key;
    });
  };
}
