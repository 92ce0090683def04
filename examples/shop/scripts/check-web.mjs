#!/usr/bin/env node
// Usage: node --experimental-vm-modules --no-warnings scripts/check-web.mjs [web]   (the frontend folder, as data)
// The frontend "type-check" (plain JS + JSDoc, no compiler to install):
//  1. every web/src/**/*.js parses as an ES module: in this process with vm.SourceTextModule
//     when node runs with --experimental-vm-modules (as .claude/orchestrator.yaml runs it),
//     else with `node --check` per file; a file that fails is located (file:line) by
//     `node --check`, whose message is the reference;
//  2. relative imports resolve and each named import is exported by its target;
//     bare imports are refused (no bundler, no dependencies);
//  3. JSDoc `import('./x.js').Name` types exist (a @typedef or an export in x.js);
//  4. cross-layer: every '/api/<path>' used in web/src is served by a backend entity
//     (server/entities/*.js with meta.path === '<path>').
// Prints `file:line: message` for every problem and exits 1; exits 0 when all is well.
//
// This checker lives outside every layer's `owns` (the agent it checks cannot rewrite it), and
// the backend's modules are loaded by scripts/lib/probe-server.js in a child process.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';

const SCRIPTS = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(SCRIPTS, '..');
const WEB = path.resolve(process.argv[2] || path.join(ROOT, 'web'));
const SRC = path.join(WEB, 'src');
const SERVER = path.join(ROOT, 'server');

const errors = [];
const rel = (file) => path.relative(ROOT, file).split(path.sep).join('/');
const fail = (file, line, message) => errors.push(`${rel(file)}:${line}: ${message}`);
const lineAt = (text, index) => text.slice(0, index).split('\n').length;
const used = new Set();

/** @param {string} dir @returns {string[]} */
function jsFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...jsFiles(full));
    else if (entry.name.endsWith('.js')) out.push(full);
  }
  return out.sort();
}

/** Names a module exports and the @typedef names it declares. */
function declarations(text) {
  const exports = new Set();
  for (const m of text.matchAll(/export\s+(?:async\s+)?(?:function\*?|class|const|let|var)\s+([A-Za-z_$][\w$]*)/g)) exports.add(m[1]);
  for (const m of text.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of m[1].split(',')) {
      const name = part.trim().split(/\s+as\s+/).pop();
      if (name) exports.add(name.trim());
    }
  }
  if (/export\s+default\b/.test(text)) exports.add('default');
  const typedefs = new Set();
  for (const m of text.matchAll(/@typedef\s*/g)) {
    let i = m.index + m[0].length;
    if (text[i] === '{') {
      for (let depth = 0; i < text.length; i++) {
        if (text[i] === '{') depth++;
        else if (text[i] === '}' && --depth === 0) { i++; break; }
      }
    }
    const name = /^\s*([A-Za-z_$][\w$]*)/.exec(text.slice(i, i + 200));
    if (name) typedefs.add(name[1]);
  }
  return { exports, typedefs };
}

const cache = new Map();
function declarationsOf(file) {
  if (!cache.has(file)) cache.set(file, declarations(fs.readFileSync(file, 'utf8')));
  return cache.get(file);
}

/** Resolves a relative specifier from `file`; reports and returns null when it does not exist. */
function resolve(file, line, spec) {
  if (!spec.startsWith('./') && !spec.startsWith('../')) {
    fail(file, line, `import '${spec}' is not a relative path: the frontend has no dependencies and no bundler`);
    return null;
  }
  const target = path.resolve(path.dirname(file), spec);
  if (!fs.existsSync(target) || !fs.statSync(target).isFile()) {
    fail(file, line, `cannot find module '${spec}'${spec.endsWith('.js') ? '' : ' (browser imports need the .js extension)'}`);
    return null;
  }
  return target;
}

/** Parses (never links or runs) `file` as an ES module in this process; false on a syntax error. */
function parsesAsModule(file) {
  try {
    new vm.SourceTextModule(fs.readFileSync(file, 'utf8'), { identifier: pathToFileURL(file).href });
    return true;
  } catch (err) {
    if (err instanceof SyntaxError) return false;
    throw err;
  }
}

function checkSyntax(files) {
  const inProcess = typeof vm.SourceTextModule === 'function';
  for (const file of files) {
    if (inProcess && parsesAsModule(file)) continue;
    const r = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
    if (r.status === 0) continue;
    const out = r.stderr || '';
    const where = /:(\d+)\r?\n/.exec(out);
    const message = out.split('\n').find((l) => /^\w*Error\b/.test(l)) || 'syntax check failed';
    fail(file, where ? where[1] : 1, message.trim());
  }
}

function checkImports(file, text) {
  for (const m of text.matchAll(/^\s*import\s+([\s\S]*?)\s+from\s+['"]([^'"]+)['"]/gm)) {
    const line = lineAt(text, m.index + m[0].indexOf('import'));
    const target = resolve(file, line, m[2]);
    if (!target) continue;
    const { exports } = declarationsOf(target);
    const clause = m[1].trim();
    const named = /\{([^}]*)\}/.exec(clause);
    const names = named ? named[1].split(',').map((p) => p.trim().split(/\s+as\s+/)[0].trim()).filter(Boolean) : [];
    if (/^[A-Za-z_$][\w$]*\s*(,|$)/.test(clause)) names.push('default');
    for (const name of names) {
      if (!exports.has(name)) fail(file, line, `'${m[2]}' has no export named '${name}' (exports: ${[...exports].join(', ') || 'none'})`);
    }
  }
  for (const m of text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)) resolve(file, lineAt(text, m.index), m[1]);
  for (const m of text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)\.([A-Za-z_$][\w$]*)/g)) {
    const line = lineAt(text, m.index);
    const target = resolve(file, line, m[1]);
    if (!target) continue;
    const { exports, typedefs } = declarationsOf(target);
    if (!typedefs.has(m[2]) && !exports.has(m[2])) {
      fail(file, line, `type '${m[2]}' is not declared in '${m[1]}' (types: ${[...typedefs].join(', ') || 'none'})`);
    }
  }
}

/** meta.path of every backend entity: the API the frontend may call. */
function serverPaths() {
  const paths = new Map();
  const r = spawnSync(process.execPath, [path.join(SCRIPTS, 'lib', 'probe-server.js'), SERVER], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  let report;
  try {
    report = JSON.parse(r.output[3]);
  } catch {
    fail(SERVER, 1, 'cannot load the backend entities: run `node scripts/check-server.js`');
    return paths;
  }
  for (const entry of report.entities) {
    if (!entry.ok) fail(entry.file, 1, `cannot load backend entity (${String(entry.error).split('\n')[0]}): run \`node scripts/check-server.js\``);
    else if (entry.meta && typeof entry.meta.path === 'string') paths.set(entry.meta.path, entry.meta.name);
    else fail(entry.file, 1, 'backend entity has no meta.path: run `node scripts/check-server.js`');
  }
  return paths;
}

/** `text` with comments blanked out (newlines kept, so line numbers stay right). */
function stripComments(text) {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c && (c === '`' || text[j] !== '\n')) j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      const end = text[i + 1] === '/' ? text.indexOf('\n', i) : text.indexOf('*/', i + 2) + 2;
      const stop = end <= 1 ? text.length : end;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop - 1;
    } else out += c;
  }
  return out;
}

function checkApiPaths(file, source, paths) {
  const text = stripComments(source);
  for (const m of text.matchAll(/(['"`])\/api\/([^'"`/?#\s$]*)/g)) {
    const segment = m[2];
    used.add(`/api/${segment}`);
    if (paths.has(segment)) continue;
    const known = [...paths.keys()].map((p) => `/api/${p}`).join(', ') || 'none';
    fail(file, lineAt(text, m.index), `'/api/${segment}' is not served by the backend: no server/entities/*.js has meta.path '${segment}' (served: ${known})`);
  }
}

if (!fs.existsSync(SRC)) {
  console.error(`${rel(SRC)}: folder not found`);
  process.exit(1);
}
const files = jsFiles(SRC);
checkSyntax(files);
const paths = serverPaths();
if (!errors.length) {
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    checkImports(file, text);
    checkApiPaths(file, text, paths);
  }
}
if (errors.length) {
  for (const e of errors) console.error(e);
  console.error(`typecheck: ${errors.length} problem(s) found`);
  process.exit(1);
}
console.log(`typecheck: ${files.length} file(s) OK; API paths used: ${[...used].sort().join(', ') || 'none'}`);
