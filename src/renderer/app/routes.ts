// Hash routes: they work the same under file:// in Electron and behind the headless server.
export type Route =
  | { page: 'certificates' }
  | { page: 'certificate'; id: string }
  | { page: 'requests' }
  | { page: 'request' }
  | { page: 'services' }
  | { page: 'settings' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').split('?')[0] ?? '';
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'certificates' && parts[1]) return { page: 'certificate', id: decodeURIComponent(parts[1]) };
  if (parts[0] === 'requests') return { page: 'requests' };
  if (parts[0] === 'request') return { page: 'request' };
  if (parts[0] === 'services') return { page: 'services' };
  if (parts[0] === 'settings') return { page: 'settings' };
  return { page: 'certificates' };
}

export function hrefOf(route: Route): string {
  return route.page === 'certificate' ? `#/certificates/${encodeURIComponent(route.id)}` : `#/${route.page}`;
}
