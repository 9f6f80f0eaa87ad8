import { homedir } from 'node:os';
import { join } from 'node:path';

export const PRODUCT_NAME = 'Keypair Satellite';

/**
 * Where Electron's app.getPath('userData') points for this product, so the desktop app and the
 * headless satellite share one data directory by default.
 */
export function defaultDataDir(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), PRODUCT_NAME);
}
