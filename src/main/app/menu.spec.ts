import type { MenuItemConstructorOptions } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { resetFakeElectron, shell } from './fake-electron.testkit';
import { buildMenuTemplate } from './menu';

vi.mock('electron', () => import('./fake-electron.testkit'));

beforeEach(() => resetFakeElectron());

const roles = (items: MenuItemConstructorOptions[]): string[] =>
  items.flatMap((item) => [...(item.role ? [item.role] : []), ...(Array.isArray(item.submenu) ? roles(item.submenu) : [])]);

describe('buildMenuTemplate', () => {
  it('has the usual roles, with the app menu on macOS only', () => {
    const mac = buildMenuTemplate({ platform: 'darwin', isPackaged: true, appName: 'Keypair Satellite' });
    expect(roles(mac)).toEqual(expect.arrayContaining(['appMenu', 'fileMenu', 'editMenu', 'windowMenu', 'help', 'zoomIn', 'togglefullscreen']));
    expect(roles(buildMenuTemplate({ platform: 'linux', isPackaged: true, appName: 'x' }))).not.toContain('appMenu');
  });

  it('offers DevTools and reload only in unpackaged builds', () => {
    expect(roles(buildMenuTemplate({ platform: 'win32', isPackaged: true, appName: 'x' }))).not.toEqual(expect.arrayContaining(['toggleDevTools']));
    expect(roles(buildMenuTemplate({ platform: 'win32', isPackaged: true, appName: 'x' }))).not.toContain('reload');
    expect(roles(buildMenuTemplate({ platform: 'win32', isPackaged: false, appName: 'x' }))).toContain('toggleDevTools');
  });

  it('links the documentation over https in the OS browser', () => {
    const help = buildMenuTemplate({ platform: 'linux', isPackaged: true, appName: 'Keypair Satellite' }).find((item) => item.role === 'help');
    const docs = (help?.submenu as MenuItemConstructorOptions[])[0]!;
    expect(docs.label).toBe('Keypair Satellite Documentation');
    (docs.click as () => void)();
    expect(shell.openExternal).toHaveBeenCalledExactlyOnceWith(expect.stringMatching(/^https:\/\//));
  });
});
