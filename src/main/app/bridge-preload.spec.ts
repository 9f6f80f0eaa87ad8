import { beforeEach, describe, expect, it, vi } from 'vitest';
import { resetFakeElectron, session } from './fake-electron.testkit';
import { BRIDGE_PRELOAD_ID, registerBridgePreload } from './bridge-preload';

vi.mock('electron', () => import('./fake-electron.testkit'));

beforeEach(() => resetFakeElectron());

describe('registerBridgePreload', () => {
  it('registers the bridge once, for page frames, by absolute path', () => {
    registerBridgePreload(session.defaultSession as never, '/opt/satellite/out/preload/index.cjs');
    expect(session.defaultSession.preloadScripts).toEqual([{ type: 'frame', id: BRIDGE_PRELOAD_ID, filePath: '/opt/satellite/out/preload/index.cjs' }]);
  });

  it('refuses a second registration under the same id, as Electron does', () => {
    registerBridgePreload(session.defaultSession as never, '/opt/satellite/out/preload/index.cjs');
    expect(() => registerBridgePreload(session.defaultSession as never, '/tmp/other.cjs')).toThrow(/already registered/);
  });
});
