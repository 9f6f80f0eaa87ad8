import * as pkijs from 'pkijs';

/**
 * pkijs bound explicitly to Node's WebCrypto, so nothing depends on pkijs's global engine
 * (which other code might set). pkijs 4 cannot import Ed25519 keys; Ed25519 is signed and
 * verified with crypto.subtle directly (see csr.ts and parse.ts).
 */
export const cryptoEngine = new pkijs.CryptoEngine({ name: 'node-webcrypto', crypto: globalThis.crypto });
