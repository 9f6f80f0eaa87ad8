import { useCallback, useSyncExternalStore } from 'react';
import { hrefOf, parseRoute, type Route } from './routes';

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};
const snapshot = () => window.location.hash;

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, snapshot);
  return parseRoute(hash);
}

export function useNavigate(): (route: Route) => void {
  return useCallback((route: Route) => {
    window.location.hash = hrefOf(route);
  }, []);
}
