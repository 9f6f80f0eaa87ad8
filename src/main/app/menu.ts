import { Menu, shell, type MenuItemConstructorOptions } from 'electron';


export interface MenuContext {
  platform: NodeJS.Platform;
  /** Reload and DevTools entries only in unpackaged builds. */
  isPackaged: boolean;
  appName: string;
}

/** The usual roles, so keyboard shortcuts, copy/paste and window handling behave natively. */
export function buildMenuTemplate({ platform, isPackaged, appName }: MenuContext): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const view: MenuItemConstructorOptions[] = [
    ...(isPackaged ? [] : ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as MenuItemConstructorOptions[])),
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  return [
    ...(mac ? [{ role: 'appMenu' } as MenuItemConstructorOptions] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
    {
      role: 'help',
      // A string literal: only a constant URL passes Electronegativity's openExternal check without review.
      submenu: [{ label: `${appName} Documentation`, click: () => void shell.openExternal('https://github.com/keypair-satellite/keypair-satellite#readme') }],
    },
  ];
}

export function installApplicationMenu(context: MenuContext): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate(context)));
}
