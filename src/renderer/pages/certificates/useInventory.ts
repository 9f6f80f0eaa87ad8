import { useCallback, useEffect, useState } from 'react';
import { isChainLinkOnly, type CertificateRecord } from '../../../shared';
import { useClient } from '../../client/ClientContext';
import { toSatelliteError, type SatelliteError } from '../../client/satellite-error';

const PAGE_SIZE = 1000;
/** 200 pages of 1000: far beyond any real satellite, but a bound all the same. */
const MAX_PAGES = 200;

export interface Inventory {
  certificates: CertificateRecord[];
  total: number | undefined;
  loading: boolean;
  error: SatelliteError | undefined;
  reload: () => void;
}

/** The whole inventory (without CA certificates stored only as chain links), fetched page by page so the first rows show while the rest arrive. */
export function useInventory(): Inventory {
  const client = useClient();
  const [certificates, setCertificates] = useState<CertificateRecord[]>([]);
  const [total, setTotal] = useState<number>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<SatelliteError>();
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    setError(undefined);
    (async () => {
      const all: CertificateRecord[] = [];
      for (let pageNumber = 0; pageNumber < MAX_PAGES; pageNumber++) {
        const page = await client.call('searchCertificates', {
          ordering: { orders: [{ field: 'validityEnd', direction: 'ASC' }] },
          paging: { pageNumber, pageSize: PAGE_SIZE },
        });
        if (cancelled) return;
        all.push(...page.certificates);
        setCertificates(all.filter((c) => !isChainLinkOnly(c) && c.certificateStatus !== 'DELETED'));
        setTotal(page.count);
        if (page.certificates.length < PAGE_SIZE || all.length >= page.count) break;
      }
    })()
      .catch((e: unknown) => {
        if (!cancelled) setError(toSatelliteError(e));
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [client, tick]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { certificates, total, loading, error, reload };
}
