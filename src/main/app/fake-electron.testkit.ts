import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

// A stand-in for the `electron` module in unit specs (the Electron binary cannot run here):
// `vi.mock('electron', () => import('./fake-electron.testkit'))`. It records what the shell
// asks of Electron so specs can assert it, and lets specs fire the events Electron would.

type Handler = (...args: never[]) => unknown;

export class FakeWebFrame {
  constructor(
    public url: string,
    readonly processId = 1,
    readonly frameToken = `frame-${Math.random().toString(16).slice(2)}`,
  ) {}
}

export class FakeWebContents extends EventEmitter {
  readonly mainFrame: FakeWebFrame;
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | undefined;
  constructor(url = 'about:blank') {
    super();
    this.mainFrame = new FakeWebFrame(url);
  }
  getURL(): string {
    return this.mainFrame.url;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }): void {
    this.windowOpenHandler = handler;
  }
  /** Fires a cancellable event the way Electron does; returns whether a listener prevented it. */
  fireCancellable(name: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(name, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

export class BrowserWindow extends EventEmitter {
  static created: BrowserWindow[] = [];
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.created.filter((w) => !w.destroyed);
  }
  readonly webContents = new FakeWebContents();
  loadedUrl: string | undefined;
  destroyed = false;
  minimized = false;
  readonly show = vi.fn();
  readonly focus = vi.fn();
  readonly restore = vi.fn();
  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.created.push(this);
  }
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.webContents.mainFrame.url = url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
}

export const ipcMain = {
  handlers: new Map<string, Handler>(),
  handle: vi.fn((channel: string, handler: Handler) => {
    if (ipcMain.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    ipcMain.handlers.set(channel, handler);
  }),
  removeHandler: vi.fn((channel: string) => ipcMain.handlers.delete(channel)),
};

export const ipcRenderer = { invoke: vi.fn(async (..._args: unknown[]) => ({ ok: true, value: null })) };
export const contextBridge = { exposeInMainWorld: vi.fn() };

type HeadersListener = (details: { responseHeaders?: Record<string, string[]> }, callback: (response: { responseHeaders: Record<string, string[]> }) => void) => void;

export class FakeSession {
  headersListener: HeadersListener | undefined;
  permissionRequestHandler: ((contents: FakeWebContents, permission: string, callback: (granted: boolean) => void) => void) | undefined;
  permissionCheckHandler: ((contents: FakeWebContents | null, permission: string, origin: string) => boolean) | undefined;
  readonly webRequest = {
    onHeadersReceived: (listener: HeadersListener) => {
      this.headersListener = listener;
    },
  };
  readonly preloadScripts: { type: string; id?: string; filePath: string }[] = [];
  registerPreloadScript(script: { type: string; id?: string; filePath: string }): string {
    const id = script.id ?? `preload-${this.preloadScripts.length}`;
    if (this.preloadScripts.some((s) => s.id === id)) throw new Error(`Preload script with ID "${id}" is already registered`);
    this.preloadScripts.push(script);
    return id;
  }
  setPermissionRequestHandler(handler: FakeSession['permissionRequestHandler']): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: FakeSession['permissionCheckHandler']): void {
    this.permissionCheckHandler = handler;
  }
}

export const session = { defaultSession: new FakeSession() };
export const shell = { openExternal: vi.fn(async (_url: string) => undefined) };
export const dialog = {
  showSaveDialog: vi.fn(async (..._args: unknown[]): Promise<{ canceled: boolean; filePath?: string }> => ({ canceled: true })),
  showErrorBox: vi.fn(),
};

export class Notification extends EventEmitter {
  static shown: Notification[] = [];
  static supported = true;
  static isSupported(): boolean {
    return Notification.supported;
  }
  constructor(readonly options: { title: string; body: string }) {
    super();
  }
  show(): void {
    Notification.shown.push(this);
  }
}

export const Menu = {
  buildFromTemplate: vi.fn((template: unknown[]) => ({ template })),
  setApplicationMenu: vi.fn(),
};

export const nativeTheme = { shouldUseDarkColors: false };

class FakeApp extends EventEmitter {
  isPackaged = false;
  singleInstanceLock = true;
  readonly paths: Record<string, string> = { userData: '/tmp/fake-user-data', downloads: '/tmp/fake-downloads' };
  readonly quit = vi.fn();
  readonly exit = vi.fn();
  readonly enableSandbox = vi.fn();
  readonly requestSingleInstanceLock = vi.fn(() => this.singleInstanceLock);
  private ready: () => void = () => undefined;
  private readyPromise = new Promise<void>((resolve) => (this.ready = resolve));
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  /** Resolves whenReady(), as Electron does once it has initialised. */
  becomeReady(): void {
    this.ready();
  }
  getPath(name: string): string {
    const path = this.paths[name];
    if (!path) throw new Error(`fake app has no path '${name}'`);
    return path;
  }
  getName(): string {
    return 'Keypair Satellite';
  }
  resetReady(): void {
    this.readyPromise = new Promise<void>((resolve) => (this.ready = resolve));
  }
}

export const app = new FakeApp();

/** Back to a fresh Electron between specs. */
export function resetFakeElectron(): void {
  BrowserWindow.created = [];
  ipcMain.handlers.clear();
  session.defaultSession = new FakeSession();
  Notification.shown = [];
  Notification.supported = true;
  nativeTheme.shouldUseDarkColors = false;
  app.removeAllListeners();
  app.isPackaged = false;
  app.singleInstanceLock = true;
  app.resetReady();
  vi.clearAllMocks();
}

/** An IPC event as Electron builds it for a call from `frame` in `contents`. */
export function fakeInvokeEvent(contents: FakeWebContents, frame: FakeWebFrame | null = contents.mainFrame) {
  return { sender: contents, senderFrame: frame } as never;
}

export default { app, BrowserWindow, ipcMain, ipcRenderer, contextBridge, session, shell, dialog, Notification, Menu, nativeTheme };
