import { describe, expect, it } from 'vitest';
import { RENEWAL_DUE_ROUTE } from '../../shared/renewal';
import { hrefOf, parseRoute } from './routes';

describe('hash routes', () => {
  it.each([
    ['', { page: 'certificates' }],
    ['#/certificates', { page: 'certificates' }],
    ['#/certificates/abc-1', { page: 'certificate', id: 'abc-1' }],
    [RENEWAL_DUE_ROUTE, { page: 'certificates', renewalDue: true }],
    ['#/certificates?due=other', { page: 'certificates' }],
    ['#/request', { page: 'request' }],
    ['#/requests', { page: 'requests' }],
    ['#/services?x=1', { page: 'services' }],
    ['#/settings', { page: 'settings' }],
    ['#/nope', { page: 'certificates' }],
  ] as const)('%s', (hash, route) => {
    expect(parseRoute(hash)).toEqual(route);
    expect(parseRoute(hrefOf(route))).toEqual(route);
  });
});
