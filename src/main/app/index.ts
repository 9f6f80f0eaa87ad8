import { startDesktopApp } from './lifecycle';

// The Electron main entry (electron.vite.config.ts); everything lives in lifecycle.ts so tests can drive it.
startDesktopApp();
