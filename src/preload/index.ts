import { contextBridge } from 'electron';
import { SATELLITE_PRELOAD_GLOBAL } from '../shared/preload-api';
import { satellitePreloadApi } from './api';

// Built as CommonJS (electron.vite.config.ts): a sandboxed preload cannot be an ES module.
contextBridge.exposeInMainWorld(SATELLITE_PRELOAD_GLOBAL, satellitePreloadApi);
