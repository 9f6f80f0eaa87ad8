/** A chosen file's bytes as base64 (what importCertificate's pkcs12Base64 takes). */
export async function fileToBase64(file: Blob): Promise<string> {
  return bytesToBase64(new Uint8Array(await file.arrayBuffer()));
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  // Chunks keep String.fromCharCode's argument list well under the engine's limit.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Whether text holds at least one PEM block of the given label, e.g. CERTIFICATE. */
export function hasPemBlock(text: string, label: string): boolean {
  return new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----`).test(text);
}

/** Private key blocks, whatever their kind (PKCS#8, encrypted, PKCS#1, SEC1). */
const PRIVATE_KEY_BLOCK = /-----BEGIN (?:ENCRYPTED |RSA |EC )?PRIVATE KEY-----[\s\S]*?-----END (?:ENCRYPTED |RSA |EC )?PRIVATE KEY-----\s*/g;

/** Pasted or loaded text split into its private key blocks and the rest, so a page can keep the key out of view. */
export function withoutPrivateKey(text: string): { rest: string; key?: string } {
  const keys = text.match(PRIVATE_KEY_BLOCK);
  if (!keys) return { rest: text };
  return { rest: text.replace(PRIVATE_KEY_BLOCK, '').trim(), key: keys.join('\n').trim() };
}
