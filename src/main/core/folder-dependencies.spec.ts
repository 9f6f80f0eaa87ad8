import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeCycles, importGraph } from '../../../test/helpers/import-graph';

// Inside core, folders depend on each other in one direction only: a cycle between folders (keys
// ↔ ca, requests ↔ certificates, ...) means neither can be understood, tested or moved alone.
// Type imports count too: a shape borrowed from a folder above is a dependency on it. (eslint's
// satellite/core-layers rule holds each folder to the direction in scripts/eslint/core-layers.js.)

const CORE = dirname(fileURLToPath(import.meta.url));

describe('core folder dependencies', () => {
  const graph = importGraph(CORE, { node: 'folder', includeTypeImports: true });

  it('have no cycle between folders (each import named, so a new cycle says where it came from)', () => {
    expect(describeCycles(graph)).toEqual([]);
  });

  it('pki and common are leaves: they import no other folder of core', () => {
    for (const leaf of ['pki', 'common']) {
      const reached = [...(graph.get(leaf)?.keys() ?? [])].filter((to) => to !== 'common');
      expect(reached, leaf).toEqual([]);
    }
  });

  it('sees imports at all (the scan is not silently empty)', () => {
    expect(graph.get('ca')?.has('pki')).toBe(true);
    expect(graph.get('.')?.has('dek')).toBe(true);
  });
});
