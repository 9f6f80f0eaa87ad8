import { useCallback, useRef, useState } from 'react';
import { FINAL_REQUEST_STATUSES, type CertificateRequestBody, type CertificateRequestRecord } from '../../../shared';
import { useClient } from '../../client/ClientContext';
import { toSatelliteError, type SatelliteError } from '../../client/satellite-error';
import { isAwaitingOfflineCa } from '../../lib/request-list';

export type SubmitPhase =
  | { kind: 'idle' }
  | { kind: 'sending' }
  | { kind: 'waiting'; record: CertificateRequestRecord }
  | { kind: 'done'; record: CertificateRequestRecord }
  | { kind: 'error'; error: SatelliteError };

const POLL_MS = 1000;
/** Ten minutes of polling; a CA slower than that is reported, not waited on forever. */
const MAX_POLLS = 600;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends a request, then follows it until the pipeline is done with it (ISSUED, FAILED, REJECTED, ...). */
export function useSubmitRequest() {
  const client = useClient();
  const [phase, setPhase] = useState<SubmitPhase>({ kind: 'idle' });
  const cancelled = useRef(false);
  // A second click (or Enter) while one request is on its way must not make a second key pair.
  const inFlight = useRef(false);

  const follow = useCallback(
    async (first: CertificateRequestRecord, pendingIsFinal: boolean): Promise<CertificateRequestRecord> => {
      let record = first;
      const settled = (r: CertificateRequestRecord) => FINAL_REQUEST_STATUSES.includes(r.status) || (pendingIsFinal && r.status === 'PENDING') || isAwaitingOfflineCa(r, undefined);
      for (let i = 0; i < MAX_POLLS && !settled(record); i++) {
        setPhase({ kind: 'waiting', record });
        await sleep(POLL_MS);
        if (cancelled.current) return record;
        record = await client.call('getCertificateRequest', { id: record.id });
      }
      setPhase({ kind: 'done', record });
      return record;
    },
    [client],
  );

  const run = useCallback(
    async (start: () => Promise<CertificateRequestRecord>, pendingIsFinal = false): Promise<CertificateRequestRecord | null> => {
      if (inFlight.current) return null;
      inFlight.current = true;
      cancelled.current = false;
      setPhase({ kind: 'sending' });
      try {
        return await follow(await start(), pendingIsFinal);
      } catch (e) {
        setPhase({ kind: 'error', error: toSatelliteError(e) });
        return null;
      } finally {
        inFlight.current = false;
      }
    },
    [follow],
  );

  /**
   * `pendingIsFinal`: an offline (MANUAL) CA leaves the request PENDING until the user imports
   * the certificate, so waiting on it would only spin.
   */
  const submit = useCallback(
    (body: CertificateRequestBody, options: { pendingIsFinal?: boolean } = {}) => run(() => client.call('requestCertificate', body), options.pendingIsFinal),
    [client, run],
  );
  const renew = useCallback((id: string) => run(() => client.call('renewCertificate', { id })), [client, run]);
  const reset = useCallback(() => {
    cancelled.current = true;
    setPhase({ kind: 'idle' });
  }, []);
  return { phase, submit, renew, reset };
}
