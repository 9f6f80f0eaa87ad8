import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeCycles, importGraph } from '../../../test/helpers/import-graph';

// The API's files depend one way (cli -> cli-options, headless, dek-commands -> server -> routes),
// type imports included: a file that needs another's shape and gives it one back (as cli-options,
// dek-commands and headless once did) cannot be read or changed alone.

const API = dirname(fileURLToPath(import.meta.url));

describe('api module dependencies', () => {
  const files = importGraph(API, { node: 'file', includeTypeImports: true });

  it('have no cycle between files, type imports included', () => {
    expect(describeCycles(files)).toEqual([]);
  });

  it('have no cycle between its folders (routes, security), type imports included', () => {
    // The API's own root files (server, api-context) hold the folders together and are covered file by file above.
    const folders = importGraph(API, { node: 'folder', includeTypeImports: true });
    folders.delete('.');
    for (const edges of folders.values()) edges.delete('.');
    expect(describeCycles(folders)).toEqual([]);
  });

  it('sees imports at all (the scan is not silently empty)', () => {
    expect(files.get('cli')?.has('headless')).toBe(true);
    expect(files.get('dek-commands')?.has('cli-options')).toBe(true);
  });
});
