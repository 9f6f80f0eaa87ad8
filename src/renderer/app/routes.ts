import { RENEWAL_DUE_ROUTE } from '../../shared/renewal';

// Hash routes: they work the same under file:// in Electron and behind the headless server.
export type Route =
  /** `renewalDue`: opened on the certificates due for renewal (the desktop reminder's link). */
  | { page: 'certificates'; renewalDue?: true }
  | { page: 'certificate'; id: string }
  | { page: 'requests' }
  | { page: 'request' }
  | { page: 'services' }
  | { page: 'settings' };

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'certificates' && parts[1]) return { page: 'certificate', id: decodeURIComponent(parts[1]) };
  if (parts[0] === 'requests') return { page: 'requests' };
  if (parts[0] === 'request') return { page: 'request' };
  if (parts[0] === 'services') return { page: 'services' };
  if (parts[0] === 'settings') return { page: 'settings' };
  if (parts[0] === 'certificates' && new URLSearchParams(query).get('due') === 'renewal') return { page: 'certificates', renewalDue: true };
  return { page: 'certificates' };
}

export function hrefOf(route: Route): string {
  if (route.page === 'certificate') return `#/certificates/${encodeURIComponent(route.id)}`;
  if (route.page === 'certificates' && route.renewalDue) return RENEWAL_DUE_ROUTE;
  return `#/${route.page}`;
}
