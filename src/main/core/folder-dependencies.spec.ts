import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Inside core, folders depend on each other in one direction only: a cycle between folders (keys
// ↔ ca, requests ↔ certificates, ...) means neither can be understood, tested or moved alone.
// Type-only imports are left out: they vanish at run time and describe shapes, not behaviour.

const CORE = dirname(fileURLToPath(import.meta.url));

/** Folder (first path segment under core, or "." for core's own files) of every runtime import, per folder. */
function folderGraph(): Map<string, Map<string, string[]>> {
  const graph = new Map<string, Map<string, string[]>>();
  const folderOf = (path: string) => {
    const rel = relative(CORE, path);
    return rel.includes('/') ? rel.split('/')[0]! : '.';
  };
  const visit = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) visit(path);
      else if (/\.tsx?$/.test(name) && !/\.(spec|testkit)\.tsx?$/.test(name) && !name.endsWith('.testkit.ts')) {
        const from = folderOf(path);
        for (const m of readFileSync(path, 'utf8').matchAll(/^(import|export)(?!\s+type\b)[^;]*?from\s+['"](\.[^'"]+)['"]/gms)) {
          const target = resolve(dirname(path), m[2]!);
          if (!target.startsWith(CORE + '/')) continue;
          const to = existsSync(target) && statSync(target).isDirectory() ? relative(CORE, target).split('/')[0]! : folderOf(target);
          if (to === from) continue;
          const edges = graph.get(from) ?? new Map<string, string[]>();
          edges.set(to, [...(edges.get(to) ?? []), relative(CORE, path)]);
          graph.set(from, edges);
        }
      }
    }
  };
  visit(CORE);
  return graph;
}

/** Every cycle's folders (strongly connected components of more than one folder). */
function cycles(graph: Map<string, Map<string, string[]>>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const out: string[][] = [];
  const connect = (v: string) => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!indices.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        component.push(w);
      } while (w !== v);
      if (component.length > 1) out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) connect(v);
  return out;
}

describe('core folder dependencies', () => {
  const graph = folderGraph();

  it('have no cycle between folders (each import named, so a new cycle says where it came from)', () => {
    const found = cycles(graph).map((c) => c.map((from) => `${from} -> ${[...(graph.get(from)?.entries() ?? [])].filter(([to]) => c.includes(to)).map(([to, files]) => `${to} (${files.join(', ')})`).join('; ')}`).join(' | '));
    expect(found).toEqual([]);
  });

  it('pki and common are leaves: they import no other folder of core', () => {
    for (const leaf of ['pki', 'common']) {
      const reached = [...(graph.get(leaf)?.keys() ?? [])].filter((to) => to !== 'common');
      expect(reached, leaf).toEqual([]);
    }
  });

  it('sees imports at all (the scan is not silently empty)', () => {
    expect(graph.get('ca')?.has('pki')).toBe(true);
  });
});
