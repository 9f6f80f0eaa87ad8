import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// Runs Doyensec's Electronegativity on the app's code (package.json and src/, without the specs
// and test kits, which never ship) and fails on any finding above LOW.

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(createRequire(import.meta.url).resolve('@doyensec/electronegativity/package.json'), '..', 'dist', 'index.js');
const work = mkdtempSync(join(tmpdir(), 'ks-electronegativity-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Two shims, loaded with --require before the tool:
// - Electronegativity fetches translations and Electron's release list over HTTPS, and `got`'s
//   retry crashes it when offline. Tests run offline, so the one networked check
//   (AvailableSecurityFixesGlobalCheck: "is this Electron the newest?") is excluded and `got`
//   answers "offline" at once; every code check still runs against the bundled English texts.
// - Its CSV writer starts the header's fs.writeFile (which truncates) and the rows' append
//   without waiting for one another; when the rows land first, the header overwrites the start of
//   the first row and the report cannot be parsed. Its writes are run one after another, in the
//   order the tool asked for them.
const toolShim = join(work, 'electronegativity-shim.cjs');
writeFileSync(
  toolShim,
  `const Module = require('node:module');
const load = Module._load;
const offline = () => Promise.reject(new Error('offline: electronegativity network lookups are disabled in tests'));
offline.head = offline;
Module._load = function (request, ...rest) {
  return request === 'got' ? { __esModule: true, default: offline } : load.call(this, request, ...rest);
};
const fs = require('node:fs');
const writeFile = fs.writeFile;
let previous = Promise.resolve();
fs.writeFile = function (...args) {
  const callback = typeof args[args.length - 1] === 'function' ? args.pop() : () => undefined;
  previous = previous.then(() => new Promise((done) => writeFile.call(fs, ...args, (error) => { done(); callback(error); })));
};
`,
);

interface Finding {
  issue: string;
  severity: string;
  confidence: string;
  filename: string;
  location: string;
  sample: string;
  description: string;
}

/** Electronegativity's CSV: one header line, then quoted fields that may contain commas and doubled quotes. */
function parseFindingsCsv(text: string): Finding[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field.trim());
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      endField();
    } else if (!quoted && c === '\n') {
      endField();
      rows.push(row);
      row = [];
    } else {
      field += c;
    }
  }
  if (field.trim() !== '' || row.length > 0) rows.push([...row, field.trim()]);
  const [header, ...data] = rows;
  expect(header).toEqual(['issue', 'severity', 'confidence', 'filename', 'location', 'sample', 'description', 'url']);
  return data.map(([issue = '', severity = '', confidence = '', filename = '', location = '', sample = '', description = '']) => ({ issue, severity, confidence, filename, location, sample, description }));
}

let lastScanOutput = '';

function scan(directory: string): Finding[] {
  const csv = join(work, `${Math.random().toString(16).slice(2)}.csv`);
  const run = spawnSync(process.execPath, ['--require', toolShim, cli, '-i', directory, '-r', '-x', 'AvailableSecurityFixesGlobalCheck', '-o', csv], {
    encoding: 'utf8',
    env: { ...process.env, LANG: 'en-US' },
    timeout: 180_000,
  });
  expect(run.status, `electronegativity failed:\n${run.stdout}\n${run.stderr}`).toBe(0);
  lastScanOutput = `${run.stdout}\n${run.stderr}`;
  return parseFindingsCsv(readFileSync(csv, 'utf8'));
}

const isTestCode = (path: string) => /\.(spec|test)\.tsx?$|\.testkit\.ts$/.test(path);

const ABOVE_LOW = new Set(['MEDIUM', 'HIGH', 'CRITICAL']);

describe('electronegativity', () => {
  it('reports nothing above LOW on the app (package.json and src, specs excluded)', () => {
    const app = join(work, 'app');
    mkdirSync(app);
    cpSync(join(root, 'package.json'), join(app, 'package.json'));
    cpSync(join(root, 'src'), join(app, 'src'), { recursive: true, filter: (path) => !isTestCode(path) });

    const cspNote = (f: Finding) => f.issue === 'CSP_GLOBAL_CHECK' && f.severity === 'LOW';
    const findings = scan(app);
    const aboveLow = findings.filter((f) => ABOVE_LOW.has(f.severity));
    expect(aboveLow, JSON.stringify(aboveLow, null, 2)).toEqual([]);
    // The scan really read the shell: the CSP in the renderer's index.html is found (its only note is LOW, for 'unsafe-inline' styles).
    expect(findings.filter(cspNote).length, lastScanOutput).toBeGreaterThan(0);
  });

  it('the same scan flags a window without isolation, sandbox, CSP, navigation limits or permission handler, and a webPreferences preload', () => {
    const bad = join(work, 'bad');
    mkdirSync(bad);
    cpSync(join(root, 'package.json'), join(bad, 'package.json'));
    writeFileSync(
      // Plain JavaScript: the fixture tests the checks, not electronegativity's TypeScript parsing.
      join(bad, 'main.js'),
      `const { BrowserWindow } = require('electron');
exports.w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, preload: '/tmp/preload.js' } });
`,
    );
    const issues = new Set(scan(bad).filter((f) => ABOVE_LOW.has(f.severity)).map((f) => f.issue));
    for (const issue of ['PRELOAD_JS_CHECK', 'CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'AUXCLICK_JS_CHECK', 'CSP_GLOBAL_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK']) {
      expect([...issues], `${issue}; electronegativity said:\n${lastScanOutput}`).toContain(issue);
    }
  });
});
