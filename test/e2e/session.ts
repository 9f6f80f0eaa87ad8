import type { Page } from 'playwright-core';
import { launchBrowser, signIn, type TestBrowser } from '../helpers/browser';
import { startSatelliteServer, type SatelliteServer, type StartSatelliteOptions } from '../helpers/satellite-server';
import { recordRpcCalls } from './form-checks';
import { requireBuiltWebUi } from './page-checks';

/** A headless satellite serving the built web UI, and Chromium signed in to it. */
export interface UiSession {
  server: SatelliteServer;
  browser: TestBrowser;
  page: Page;
  /** Every /ui/rpc method the page has called since sign-in, in order. */
  rpcCalls: string[];
  /** Closes Chromium and stops the satellite; safe to call once from afterAll. */
  close(): Promise<void>;
}

/**
 * Starts the satellite and Chromium side by side and signs in with the one-time link. If
 * either fails to start, the other is stopped before the error is thrown: no orphan server
 * or browser outlives a failed suite.
 */
export async function openUiSession(options: Omit<StartSatelliteOptions, 'webRoot'> = {}): Promise<UiSession> {
  const webRoot = requireBuiltWebUi();
  const [server, browser] = await Promise.allSettled([startSatelliteServer({ ...options, webRoot }), launchBrowser()]);
  const close = async () => {
    await Promise.allSettled([browser.status === 'fulfilled' && browser.value.close(), server.status === 'fulfilled' && server.value.kill()]);
  };
  if (server.status === 'rejected' || browser.status === 'rejected') {
    await close();
    throw server.status === 'rejected' ? server.reason : (browser as PromiseRejectedResult).reason;
  }
  try {
    const page = await browser.value.newPage();
    await signIn(page, server.value);
    return { server: server.value, browser: browser.value, page, rpcCalls: recordRpcCalls(page), close };
  } catch (error) {
    await close();
    throw error;
  }
}
