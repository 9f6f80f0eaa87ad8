// An eslint rule: inside src/main/core, a folder imports only the folders listed for it in
// CORE_LAYERS (type imports too: a shape borrowed upward is a dependency upward). The table is the
// intended direction, leaves first; a new folder must be added to it before it can be imported.
import { existsSync, statSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';

/** Each core folder and the core folders it may import. "." is core's own files (the satellite and its façade). */
export const CORE_LAYERS = {
  common: [],
  pki: ['common'],
  vault: ['common'],
  fs: ['common'],
  commands: ['common'],
  trust: ['common', 'commands', 'fs'],
  keys: ['common', 'pki'],
  store: ['common', 'vault'],
  exports: ['common', 'pki'],
  ca: ['common', 'pki', 'vault', 'fs', 'commands', 'keys'],
  dek: ['common', 'vault', 'fs', 'store', 'exports'],
  'api-key': ['common', 'vault'],
  settings: ['common', 'vault'],
  tls: ['common', 'pki', 'vault', 'keys'],
  requests: ['common', 'pki', 'vault', 'keys', 'store', 'ca'],
  connectors: ['common', 'ca'],
  certificates: ['common', 'pki', 'vault', 'keys', 'store', 'exports', 'ca', 'requests'],
  installs: ['common', 'pki', 'fs', 'commands', 'exports'],
  automation: ['common', 'pki', 'vault', 'store', 'exports', 'fs', 'commands', 'installs', 'ca', 'requests', 'certificates', 'connectors', 'settings'],
};

function coreFolderOf(path, coreRoot) {
  const rel = relative(coreRoot, path);
  if (rel.startsWith('..')) return undefined;
  if (rel.includes(sep)) return rel.split(sep)[0];
  // '../store' names the folder (its index.ts); '../satellite' names one of core's own files.
  return existsSync(path) && statSync(path).isDirectory() ? rel : '.';
}

export const coreLayersRule = {
  meta: {
    type: 'problem',
    docs: { description: "core's folders import only the folders below them (CORE_LAYERS)" },
    schema: [],
  },
  create(context) {
    const coreRoot = resolve(context.cwd, 'src/main/core');
    const file = context.filename;
    const from = coreFolderOf(file, coreRoot);
    if (!from || from === '.') return {};
    const check = (node) => {
      const spec = node.source?.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const to = coreFolderOf(resolve(dirname(file), spec), coreRoot);
      if (!to || to === from) return;
      const allowed = CORE_LAYERS[from];
      if (!allowed) {
        context.report({ node: node.source, message: `core/${from} is not in CORE_LAYERS (scripts/eslint/core-layers.js): add it with the folders it may import.` });
      } else if (!allowed.includes(to)) {
        const why = to === '.' ? "core's own files (the satellite and its façade) sit above every folder" : `core/${to} is not below core/${from}`;
        context.report({ node: node.source, message: `core/${from} must not import core/${to}: ${why}. Move the shared part down (see CORE_LAYERS in scripts/eslint/core-layers.js).` });
      }
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};
