import { StoreDiskFullError } from '../core/store/inventory-store';
import { StoreDamagedError } from '../core/store/inventory-health';
import { ZodError } from 'zod';
import { ERROR_CODES } from '../../shared/error-codes';
import { SatelliteError } from '../core/common/errors';
import { ApiError, validationError, type CloudErrorBody } from './cloud-error';

export interface MappedError {
  status: number;
  body: CloudErrorBody;
  headers: Record<string, string>;
  /** True for failures the operator should see in the log (5xx not raised on purpose). */
  unexpected: boolean;
}

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
}

/** What Fastify's own 4xx errors mean, said so the caller knows what to change. */
const FRAMEWORK_MESSAGES: Record<string, { status: number; code: number; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: ERROR_CODES.PAYLOAD_TOO_LARGE, message: 'the request body is larger than the satellite accepts (1 MiB); send a smaller body' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: ERROR_CODES.UNSUPPORTED_MEDIA_TYPE, message: 'Content-Type must be application/json' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: ERROR_CODES.VALIDATION, message: 'Content-Length does not match the body that was sent' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: ERROR_CODES.VALIDATION, message: 'body: Content-Type is application/json but the body is empty; send a JSON object' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: ERROR_CODES.VALIDATION, message: 'body: is not valid JSON; send a JSON object' },
  FST_ERR_CTP_INVALID_CONTENT_TYPE: { status: 415, code: ERROR_CODES.UNSUPPORTED_MEDIA_TYPE, message: 'Content-Type header is malformed; send application/json' },
  FST_ERR_BAD_URL: { status: 400, code: ERROR_CODES.VALIDATION, message: 'the URL is malformed (bad percent-encoding)' },
  FST_ERR_CTP_INVALID_TYPE: { status: 415, code: ERROR_CODES.UNSUPPORTED_MEDIA_TYPE, message: 'Content-Type must be application/json' },
};

function codeForStatus(status: number): number {
  switch (status) {
    case 401:
      return ERROR_CODES.UNAUTHORIZED;
    case 403:
      return ERROR_CODES.FORBIDDEN;
    case 404:
      return ERROR_CODES.NOT_FOUND;
    case 405:
      return ERROR_CODES.METHOD_NOT_ALLOWED;
    case 409:
      return ERROR_CODES.CONFLICT;
    case 413:
      return ERROR_CODES.PAYLOAD_TOO_LARGE;
    case 415:
      return ERROR_CODES.UNSUPPORTED_MEDIA_TYPE;
    case 429:
      return ERROR_CODES.TOO_MANY_REQUESTS;
    default:
      return status >= 500 ? ERROR_CODES.INTERNAL : ERROR_CODES.VALIDATION;
  }
}

/**
 * Every failure, whoever raised it, as the cloud's `{errors: [{code, message, args}]}`.
 * Messages of errors nobody raised on purpose never reach the caller (they may carry paths
 * or internals); the caller gets a pointer to the log instead.
 */
export function mapError(error: unknown): MappedError {
  if (error instanceof ApiError) {
    return { status: error.status, body: { errors: error.items }, headers: error.headers, unexpected: false };
  }
  if (error instanceof SatelliteError) {
    // A full disk or a damaged inventory is also the operator's business: logged as unexpected.
    const unexpected = error instanceof StoreDiskFullError || error instanceof StoreDamagedError;
    const item = { code: error.code, message: error.message, ...(error.args === undefined ? {} : { args: error.args }) };
    return { status: error.httpStatus, body: { errors: [item] }, headers: {}, unexpected };
  }
  if (error instanceof ZodError) {
    const mapped = validationError(error);
    return { status: 400, body: { errors: mapped.items }, headers: {}, unexpected: false };
  }
  const framework = error as FastifyLikeError | undefined;
  const known = framework?.code ? FRAMEWORK_MESSAGES[framework.code] : undefined;
  if (known) {
    return { status: known.status, body: { errors: [{ code: known.code, message: known.message }] }, headers: {}, unexpected: false };
  }
  const status = framework?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // Fastify's body parser marks JSON syntax errors with 400 and no dedicated code.
    const message = status === 400 ? 'body: is not valid JSON; send a JSON object' : `the request was refused (HTTP ${status})`;
    return { status, body: { errors: [{ code: codeForStatus(status), message }] }, headers: {}, unexpected: false };
  }
  return {
    status: 500,
    body: { errors: [{ code: ERROR_CODES.INTERNAL, message: 'the satellite failed to answer this request; its log has the details' }] },
    headers: {},
    unexpected: true,
  };
}

export { codeForStatus };
