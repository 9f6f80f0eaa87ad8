import { ERROR_CODES, type ClientError, type FieldError } from '../../shared';

export type ClientErrorItem = ClientError['errors'][number];

/** What every transport throws: the cloud's `{errors: [...]}` shape, every problem at once. */
export class SatelliteError extends Error implements ClientError {
  readonly errors: ClientErrorItem[];
  /** HTTP status when the web transport got one; 0 otherwise. */
  readonly status: number;

  constructor(errors: ClientErrorItem[], status = 0) {
    super(errors.map((e) => e.message).join('; ') || 'The satellite reported an error without a message');
    this.name = 'SatelliteError';
    this.errors = errors.length > 0 ? errors : [{ code: ERROR_CODES.INTERNAL, message: this.message }];
    this.status = status;
  }

  /** The problems that name an input field, for inline messages next to that field. */
  fieldErrors(): FieldError[] {
    return this.errors.flatMap((e) => fieldErrorsOfArgs(e.args, e.message));
  }

  /** The problems that name no field: shown in an alert above the form. */
  generalErrors(): ClientErrorItem[] {
    return this.errors.filter((e) => fieldErrorsOfArgs(e.args, e.message).length === 0);
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Servers put the field in args as `{field}`, `[{field, message}]` or `{fields: [...]}`: accept each. */
function fieldErrorsOfArgs(args: unknown, message: string): FieldError[] {
  const one = (a: unknown): FieldError[] =>
    isRecord(a) && typeof a.field === 'string' ? [{ field: a.field, message: typeof a.message === 'string' ? a.message : message }] : [];
  if (Array.isArray(args)) return args.flatMap(one);
  if (isRecord(args) && Array.isArray(args.fields)) return args.fields.flatMap(one);
  return one(args);
}

export function isClientError(v: unknown): v is ClientError {
  return isRecord(v) && Array.isArray(v.errors) && v.errors.every((e) => isRecord(e) && typeof e.message === 'string');
}

/** Anything a transport rejected with, as a SatelliteError (structure kept when there is one). */
export function toSatelliteError(cause: unknown, status = 0): SatelliteError {
  if (cause instanceof SatelliteError) return cause;
  if (isClientError(cause)) return new SatelliteError(cause.errors.map(normaliseItem), status);
  if (cause instanceof Error) {
    // Electron's ipcRenderer.invoke flattens a thrown error into its message: recover the JSON if it is there.
    const json = /(\{"errors":.*\})\s*$/s.exec(cause.message)?.[1];
    if (json) {
      try {
        const parsed: unknown = JSON.parse(json);
        if (isClientError(parsed)) return new SatelliteError(parsed.errors.map(normaliseItem), status);
      } catch {
        // not JSON after all: fall through to the plain message
      }
    }
    return new SatelliteError([{ code: ERROR_CODES.INTERNAL, message: cause.message }], status);
  }
  return new SatelliteError([{ code: ERROR_CODES.INTERNAL, message: String(cause) }], status);
}

function normaliseItem(e: ClientErrorItem): ClientErrorItem {
  return { code: typeof e.code === 'number' ? e.code : ERROR_CODES.INTERNAL, message: e.message, ...(e.args === undefined ? {} : { args: e.args }) };
}

/** A fetch that never reached the satellite (not running, wrong port, TLS refused), in words. */
export function unreachableError(cause: unknown): SatelliteError {
  return new SatelliteError([{ code: ERROR_CODES.INTERNAL, message: `Cannot reach the satellite (${cause instanceof Error ? cause.message : String(cause)}). Check that it is running, then retry.` }]);
}
