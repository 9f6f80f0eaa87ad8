/* eslint-disable no-restricted-imports -- this spec runs in Node: it reads index.html from disk */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY_DIRECTIVES, serializeCsp } from '../shared';

const html = readFileSync(new URL('./index.html', import.meta.url), 'utf8');

describe('index.html', () => {
  it('carries the shared CSP in a meta tag (frame-ancestors only works as a header)', () => {
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    const { 'frame-ancestors': _ignored, ...metaDirectives } = CONTENT_SECURITY_POLICY_DIRECTIVES;
    expect(meta).toBe(serializeCsp(metaDirectives));
  });

  it('has no inline script', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/\bsrc=/);
      expect(body!.trim()).toBe('');
    }
  });
});
