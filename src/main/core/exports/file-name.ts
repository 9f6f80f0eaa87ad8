const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/**
 * A download's base name from the certificate's CN: `*.example.com` -> `star.example.com`,
 * anything outside [A-Za-z0-9._-] -> `_`, never hidden, never a Windows device name.
 */
export function fileBaseName(commonName: string): string {
  const name = commonName
    .trim()
    // Accented letters keep their base letter (Café -> Cafe) rather than becoming `_`.
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/^\*\./, 'star.')
    .replace(/\*/g, 'star')
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._-]+/, '')
    .replace(/[._-]+$/, '')
    .slice(0, 100);
  if (!name) return 'certificate';
  return WINDOWS_RESERVED.test(name.split('.')[0]!) ? `${name}_` : name;
}
