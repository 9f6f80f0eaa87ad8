import { HEADLESS_FIX, type KeychainPlatform } from './keychain-platform';

// Pinned to the Secret Service: the library's default silently falls back to the kernel
// keyring, which forgets the DEK at reboot and so would orphan every sealed key.
export const linuxKeychain: KeychainPlatform = {
  backend: 'Secret Service (Linux)',
  entryOptions: { linux: { store: 'secret-service' } },
  problemFor(message) {
    if (isNoBus(message)) return `no D-Bus session bus (${message})`;
    if (isNoService(message)) return `no Secret Service provider on the session bus (${message})`;
    if (isLocked(message)) return `the keyring is locked (${message})`;
    if (isNoCollection(message)) return `the Secret Service has no default keyring to keep the DEK in (${message})`;
    if (/denied/i.test(message)) return `access was denied (${message})`;
    return message;
  },
  fixFor(message) {
    if (isNoBus(message)) {
      return `start Keypair Satellite inside a desktop session, or under dbus-run-session with gnome-keyring-daemon running; ${HEADLESS_FIX}`;
    }
    if (isNoService(message)) {
      return `install gnome-keyring (apt-get install gnome-keyring) or enable KeePassXC's Secret Service integration, then log in again; ${HEADLESS_FIX}`;
    }
    if (isLocked(message)) {
      return `unlock your login keyring (Passwords and Keys / seahorse, or gnome-keyring-daemon --unlock) and retry; ${HEADLESS_FIX}`;
    }
    if (isNoCollection(message)) {
      return `create a login keyring and unlock it (Passwords and Keys / seahorse, or gnome-keyring-daemon --unlock), then retry; ${HEADLESS_FIX}`;
    }
    return `install gnome-keyring and start a D-Bus session, or unlock your login keyring; ${HEADLESS_FIX}`;
  },
};

function isNoBus(message: string): boolean {
  return /DBUS_SESSION_BUS_ADDRESS|Failed to connect to socket|autolaunch|No such file or directory|Connection refused/i.test(message);
}

function isNoService(message: string): boolean {
  return /ServiceUnknown|org\.freedesktop\.secrets|was not provided by any \.service files|NoService/i.test(message);
}

function isLocked(message: string): boolean {
  return /locked|prompt was dismissed|IsLocked/i.test(message);
}

// The Secret Service answers but has no default collection (a session whose keyring was never created).
function isNoCollection(message: string): boolean {
  return /no result found|NoSuchObject/i.test(message);
}
