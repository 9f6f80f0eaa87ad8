// The renderer's Content Security Policy, one string for every host: the Electron shell sends
// it as a response header (and checks the renderer's <meta>), the headless satellite sends it
// with the web UI. 'unsafe-inline' is for styles only: Mantine injects <style> elements.
export const CONTENT_SECURITY_POLICY_DIRECTIVES = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'frame-ancestors': ["'none'"],
  'form-action': ["'none'"],
} as const satisfies Record<string, readonly string[]>;

export type CspDirective = keyof typeof CONTENT_SECURITY_POLICY_DIRECTIVES;

/** Serialise directives, e.g. `default-src 'self'; script-src 'self'; ...`. */
export function serializeCsp(directives: Readonly<Record<string, readonly string[]>>): string {
  return Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');
}

export const CONTENT_SECURITY_POLICY = serializeCsp(CONTENT_SECURITY_POLICY_DIRECTIVES);
