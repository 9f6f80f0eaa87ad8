import { randomInt } from 'node:crypto';

/** Letters and digits people do not confuse when reading aloud or retyping (no 0/O, 1/l/I). */
const ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const GROUPS = 6;
const GROUP_LENGTH = 4;

/**
 * A strong passphrase: 24 characters from a 57-character alphabet (about 140 bits), in
 * dash-separated groups of four so it can be read back. crypto.randomInt is unbiased.
 */
export function generatePassphrase(): string {
  const groups: string[] = [];
  for (let g = 0; g < GROUPS; g++) {
    let group = '';
    for (let i = 0; i < GROUP_LENGTH; i++) group += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}
