import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { screenshot } from '../helpers/browser';

// What every e2e suite does on each page it reaches: a screenshot per color scheme, and an
// axe-core scan per color scheme (contrast differs between light and dark).

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const WEB_ROOT = join(REPO, 'out', 'web');

/** The suites test the built UI; `npm test` builds it, a targeted run needs it built first. */
export function requireBuiltWebUi(): string {
  if (!existsSync(join(WEB_ROOT, 'index.html'))) {
    throw new Error(`${WEB_ROOT}/index.html is missing: build the web UI first with \`npx vite build --config vite.web.config.ts\` (npm test does it for you).`);
  }
  return WEB_ROOT;
}

export const COLOR_SCHEMES = ['light', 'dark'] as const;
export type ColorScheme = (typeof COLOR_SCHEMES)[number];

export interface AxeFinding {
  id: string;
  impact: string | null | undefined;
  help: string;
  /** Each failing element with axe's reason, e.g. its contrast ratio and colors. */
  nodes: string[];
}

/** Serious and critical axe-core violations on the page as it is now (WCAG 2.1 A/AA and best practice). */
export async function seriousViolations(page: Page): Promise<AxeFinding[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 300)}`) }));
}

/**
 * Screenshots `name-light.png` and `name-dark.png` and scans both schemes with axe-core;
 * fails naming every serious or critical violation. Leaves the page in the light scheme.
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  const found: Record<string, AxeFinding[]> = {};
  for (const colorScheme of COLOR_SCHEMES) {
    await page.emulateMedia({ colorScheme });
    await expect.poll(() => page.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme'))).toBe(colorScheme);
    await screenshot(page, `${name}-${colorScheme}`);
    // A modal's overlay still fading in (a busy machine) blends colours axe would measure: scan the resting page.
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'), undefined, { timeout: 5_000 }).catch(() => undefined);
    const violations = await seriousViolations(page);
    if (violations.length) found[colorScheme] = violations;
  }
  await page.emulateMedia({ colorScheme: 'light' });
  expect(found, `axe-core: serious or critical violations on "${name}"`).toEqual({});
}
