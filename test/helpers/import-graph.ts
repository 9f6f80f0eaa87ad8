import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// The import graph of one source folder, for the specs that keep dependencies pointing one way
// (core's folders, api's files). Type-only imports can be left out: they vanish at run time.

export interface GraphOptions {
  /** 'folder': a node is the first folder under root ("." for root's own files); 'file': each file. */
  node: 'folder' | 'file';
  includeTypeImports: boolean;
}

/** node -> (imported node -> files that import it). */
export type ImportGraph = Map<string, Map<string, string[]>>;

const RELATIVE_IMPORT = /^(import|export)(\s+type\b)?[^;]*?from\s+['"](\.[^'"]+)['"]/gms;

function resolveModule(path: string): string {
  for (const candidate of [path, `${path}.ts`, `${path}.tsx`, join(path, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return path;
}

export function importGraph(root: string, options: GraphOptions): ImportGraph {
  const graph: ImportGraph = new Map();
  const nodeOf = (path: string): string => {
    const rel = relative(root, path);
    if (options.node === 'file') return rel.replace(/\.tsx?$/, '').replace(/\/index$/, '');
    return rel.includes('/') ? rel.split('/')[0]! : '.';
  };
  const visit = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'testing') visit(path);
        continue;
      }
      if (!/\.tsx?$/.test(name) || /\.(spec|testkit)\.tsx?$/.test(name)) continue;
      const from = nodeOf(path);
      for (const m of readFileSync(path, 'utf8').matchAll(RELATIVE_IMPORT)) {
        if (m[2] && !options.includeTypeImports) continue;
        const target = resolve(dirname(path), m[3]!);
        if (!target.startsWith(root + '/')) continue;
        const to = nodeOf(resolveModule(target));
        if (to === from) continue;
        const edges = graph.get(from) ?? new Map<string, string[]>();
        edges.set(to, [...(edges.get(to) ?? []), relative(root, path)]);
        graph.set(from, edges);
      }
    }
  };
  visit(root);
  return graph;
}

/** Every cycle (strongly connected component of more than one node), each node with the edges that close it. */
export function describeCycles(graph: ImportGraph): string[] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const components: string[][] = [];
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
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) connect(v);
  return components.map((c) =>
    c
      .map((from) => {
        const closing = [...(graph.get(from)?.entries() ?? [])].filter(([to]) => c.includes(to));
        return `${from} -> ${closing.map(([to, files]) => `${to} (${files.join(', ')})`).join('; ')}`;
      })
      .join(' | '),
  );
}
