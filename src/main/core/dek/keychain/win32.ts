import { HEADLESS_FIX, type KeychainPlatform } from './keychain-platform';

export const win32Keychain: KeychainPlatform = {
  backend: 'Windows Credential Manager',
  problemFor(message) {
    return message;
  },
  fixFor() {
    return `sign in to Windows with your own account (Credential Manager is per user and unavailable to service accounts without a profile); ${HEADLESS_FIX}`;
  },
};
