import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SecretVault } from '../vault/secret-vault';

const API_KEY_SECRET_ID = 'local-api-key';

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * The local API's key (`tppl-api-key`). Kept sealed under the DEK so Settings can show it;
 * SATELLITE_API_KEY overrides it. Without a usable DEK a key lives for this run only.
 */
export class ApiKeyService {
  private key: string | undefined;

  constructor(
    private readonly secrets: SecretVault | undefined,
    private readonly override?: string,
  ) {}

  async current(): Promise<string> {
    if (this.override) return this.override;
    if (this.key) return this.key;
    const stored = await this.secrets?.read(API_KEY_SECRET_ID);
    this.key = stored ? stored.toString('utf8') : await this.rotate();
    return this.key;
  }

  /** A new key; the old one stops working at once. */
  async rotate(): Promise<string> {
    if (this.override) throw new Error('the API key is set by SATELLITE_API_KEY; change that variable to rotate it');
    const key = randomBytes(32).toString('base64url');
    await this.secrets?.write(API_KEY_SECRET_ID, Buffer.from(key, 'utf8'));
    this.key = key;
    return key;
  }

  /** Constant-time comparison of hashes, so neither length nor content leaks through timing. */
  async verify(candidate: string): Promise<boolean> {
    const expected = await this.current();
    return timingSafeEqual(sha256(candidate), sha256(expected));
  }
}
