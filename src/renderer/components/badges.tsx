import { Badge } from '@mantine/core';
import type { RequestStatus } from '../../shared';
import { expiryBadge } from '../lib/expiry';
import type { DisplayStatus } from '../lib/inventory';

const STATUS_COLOR: Record<DisplayStatus, string> = { ACTIVE: 'green', EXPIRED: 'red', REVOKED: 'red', RETIRED: 'gray' };
export const STATUS_LABEL: Record<DisplayStatus, string> = { ACTIVE: 'Active', EXPIRED: 'Expired', REVOKED: 'Revoked', RETIRED: 'Retired' };

export function CertificateStatusBadge({ status }: { status: DisplayStatus }) {
  return (
    <Badge color={STATUS_COLOR[status]} variant="light" data-status={status}>
      {STATUS_LABEL[status]}
    </Badge>
  );
}

export function ExpiryBadge({ validityEnd, now }: { validityEnd: string; now?: number }) {
  const b = expiryBadge(validityEnd, now);
  return (
    <Badge color={b.color} variant={b.tone === 'ok' ? 'light' : 'filled'} data-expiry={b.tone} style={{ textTransform: 'none' }}>
      {b.label}
    </Badge>
  );
}

export function requestStatusColor(s: RequestStatus): string {
  if (s === 'ISSUED') return 'green';
  if (s === 'FAILED' || s === 'REJECTED' || s === 'REJECTED_APPROVAL' || s === 'REVOKED') return 'red';
  if (s === 'CANCELLED' || s === 'DELETED') return 'gray';
  return 'blue';
}

export function RequestStatusBadge({ status }: { status: RequestStatus }) {
  return (
    <Badge color={requestStatusColor(status)} variant="light">
      {status.replaceAll('_', ' ')}
    </Badge>
  );
}
