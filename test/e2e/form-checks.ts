import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

// What every e2e suite asserts of the words a person reads next to a field.

/** Words that must never reach a person (issue 16): field paths, enum values, ids. */
export const DEVELOPER_WORDS = /\b(commonName|privateKeyPassphrase|csrAttributes\.|subjectCNRegexes|keyCompromise)\b|[0-9a-f]{8}-[0-9a-f]{4}-/;

/** The inline message Mantine ties to an input through aria-describedby, once the input is invalid; never in developer words. */
export async function inlineError(page: Page, input: Locator): Promise<string> {
  await expect.poll(() => input.getAttribute('aria-invalid')).toBe('true');
  const ids = (await input.getAttribute('aria-describedby')) ?? '';
  const errorId = ids.split(' ').find((id) => id.endsWith('-error'));
  if (!errorId) throw new Error(`the input has no inline error (aria-describedby="${ids}")`);
  const text = await page.locator(`[id="${errorId}"]`).innerText();
  expect(text, 'a message a person reads').not.toMatch(DEVELOPER_WORDS);
  return text;
}

/** Every /ui/rpc method the page calls from now on, in order. */
export function recordRpcCalls(page: Page): string[] {
  const calls: string[] = [];
  page.on('request', (r) => {
    const m = /\/ui\/rpc\/(\w+)$/.exec(new URL(r.url()).pathname);
    if (m) calls.push(m[1]!);
  });
  return calls;
}
