import { describe, expect, it } from 'vitest';
import { fileBaseName } from './file-name';

describe('fileBaseName', () => {
  it.each([
    ['*.example.com', 'star.example.com'],
    ['www.example.com', 'www.example.com'],
    ['my host/../etc passwd', 'my_host_.._etc_passwd'],
    ['..hidden', 'hidden'],
    ['CON', 'CON_'],
    ['   ', 'certificate'],
    ['Ünïcode Café', 'Unicode_Cafe'],
    ['日本.example', 'example'],
  ])('%s -> %s', (cn, name) => expect(fileBaseName(cn)).toBe(name));
});
