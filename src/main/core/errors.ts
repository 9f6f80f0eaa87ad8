/**
 * An error the service layer raises on purpose: a cloud error code, a message that names the
 * field, the value and the fix, and the HTTP status a REST adapter should answer with.
 */
export class SatelliteError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly httpStatus: 400 | 401 | 404 | 409 | 413 | 422 | 429 | 500 | 502 | 503,
    readonly args?: unknown,
  ) {
    super(message);
    this.name = 'SatelliteError';
  }
}
