import { HEADLESS_FIX, type KeychainPlatform } from './keychain-platform';

export const darwinKeychain: KeychainPlatform = {
  backend: 'macOS Keychain',
  problemFor(message) {
    if (/denied|not allowed|user canceled|interaction/i.test(message)) return `access was denied (${message})`;
    return message;
  },
  fixFor() {
    return `unlock your login keychain in Keychain Access and choose "Always Allow" when Keypair Satellite asks; ${HEADLESS_FIX}`;
  },
};
