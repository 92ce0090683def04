// What each artifact of a release holds (issue 59), worked out from the build rather than kept
// by hand: scripts/build.mjs writes it to dist/artifacts.json, and the packagers (npm pack, the
// .vsix, the Action's release) take their files from there.
//
//   cli     the npm tarball: package.json's `bin` and every bundle it loads, and the Action's files
//           too (`orchestrator init --github-action` copies them out of the installed package, by
//           the `action` list of the dist/artifacts.json it ships)
//   vsix    the extension: package.json's `main` and every bundle it loads, the files its manifest
//           and README name
//   action  the GitHub Action's tree (`orchestrator init --github-action` vendors it, release/action/,
//           a release tag): action.yml, its `runs.main` and every bundle that loads, the CLI the
//           checks workflow runs beside it (`init --ci github`), a license; not what neither ever
//           loads (ACTION_LEAVES_OUT)
//
// "Loads" is esbuild's metafile: a bundle's `require("./x.js")` is an external import of a
// sibling bundle, followed transitively. What a bundle reads beside itself without require()
// (templates, the sample project, a page) is said once, beside its build target (RUNTIME_FILES
// in scripts/build.mjs). Paths are relative to the package's root, files only, sorted.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { parse } from 'yaml';

export const ARTIFACTS_FILE = 'dist/artifacts.json';

/**
 * Never shipped from inside a listed folder: a run's journal, a sample's installed packages, source
 * maps, a build's temporary file; nor a .gitignore, which npm never packs.
 */
const NEVER = /(^|\/)(node_modules|\.claude\/runs)(\/|$)|\.map$|\.tmp$|(^|\/)\.gitignore$/;

/** The bundles each bundle require()s from beside itself: `dist/a.js` → [`dist/b.js`, …]. */
export function siblingRequires(metafile) {
  const graph = {};
  for (const [out, { imports }] of Object.entries(metafile.outputs)) {
    if (!out.endsWith('.js')) continue;
    graph[out] = imports
      .filter((i) => i.external && /^\.\/[^/]+\.js$/.test(i.path))
      .map((i) => posix.join(posix.dirname(out), i.path));
  }
  return graph;
}

/** Every file under `path` (a file is itself), relative to `root`, minus what never ships. */
function filesUnder(root, path) {
  const abs = join(root, path);
  if (!existsSync(abs)) throw new Error(`${path} is named as shipped but does not exist`);
  if (!statSync(abs).isDirectory()) return NEVER.test(path) ? [] : [path];
  return readdirSync(abs).flatMap((name) =>
    NEVER.test(`${path}/${name}`) ? [] : filesUnder(root, posix.join(path, name)),
  );
}

/** `entries` and all they load (graph) or read (runtimeFiles), as files; `leftOut` neither taken nor followed. */
function closure(root, entries, graph, runtimeFiles, leftOut = {}) {
  const seen = new Set();
  const files = new Set();
  const visit = (path) => {
    if (seen.has(path) || path in leftOut) return;
    seen.add(path);
    if (path.endsWith('.js') && !(path in graph) && path.startsWith('dist/'))
      throw new Error(`${path} is loaded but no build target makes it`);
    for (const file of filesUnder(root, path.replace(/\/$/, ''))) files.add(file);
    for (const next of graph[path] ?? []) visit(next);
    for (const next of runtimeFiles[path] ?? []) visit(next);
  };
  entries.forEach(visit);
  return files;
}

/** The files package.json names (its icon, contributed schemas and icons) and README's images. */
function manifestFiles(root, manifest) {
  const named = new Set();
  const walk = (value) => {
    if (typeof value === 'string') {
      const path = value.replace(/^\.\//, '');
      if (/^[\w.-]+\/[\w./-]+\.\w+$/.test(path) && existsSync(join(root, path))) named.add(path);
    } else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk({ icon: manifest.icon, contributes: manifest.contributes });
  const readme = existsSync(join(root, 'README.md')) ? readFileSync(join(root, 'README.md'), 'utf8') : '';
  for (const [, md, html] of readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)[^)]*\)|<img[^>]*\ssrc="([^"]+)"/g)) {
    const src = (md ?? html).replace(/^\.\//, '');
    if (!/^\w+:/.test(src) && existsSync(join(root, src))) named.add(src);
  }
  return named;
}

/** The relative links of a Markdown text (`[x](path "title")`, `<img src>`), fenced code left out; anchors and queries cut. */
export function relativeLinks(markdown) {
  const prose = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  const links = [];
  for (const [, md, html] of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)|<img[^>]*\ssrc="([^"]+)"/g)) {
    const target = (md ?? html).replace(/[#?].*$/, '');
    if (target && !/^[a-z][\w+.-]*:/i.test(target) && !target.startsWith('/')) links.push(target);
  }
  return links;
}

/** What a shipped document may link and so ships with it: a page or an image, at the root or in docs/. */
const DOCUMENT = /^(docs\/)?[\w.-]+\.(md|png|svg|jpe?g|gif)$|^LICEN[CS]E(\.\w+)?$/i;

/**
 * The pages and images the package's documents (README, CHANGELOG) link, and those the linked
 * pages link in turn, at the root or in docs/ (issue 71: a relative link in what ships resolves
 * inside it). Links to anything else (a source file, an example folder) are not followed.
 */
function linkedDocuments(root, documents) {
  const found = new Set();
  const visit = (file) => {
    if (!file.endsWith('.md')) return;
    for (const link of relativeLinks(readFileSync(join(root, file), 'utf8'))) {
      const target = posix.normalize(posix.join(posix.dirname(file), link));
      if (found.has(target) || !DOCUMENT.test(target) || !existsSync(join(root, target))) continue;
      if (statSync(join(root, target)).isDirectory()) continue;
      found.add(target);
      visit(target);
    }
  };
  documents.forEach(visit);
  return found;
}

/** The documents a package always carries (npm and vsce add these themselves when present). */
function packageDocuments(root) {
  return readdirSync(root).filter(
    (name) => name === 'package.json' || /^(README|LICEN[CS]E|CHANGELOG)(\.\w+)?$/i.test(name),
  );
}

/**
 * What the Action's tree leaves out of what its entry points (action.yml's `runs.main`, the CLI
 * the checks workflow runs) reach, and why: each is loaded only by what the Action's job and the
 * checks workflow's commands (`audit`, `verify`, `trace`) never do. What one of them would have
 * loaded says so and where to run it instead (src/core/text/leftOutBundle.ts), not Node's require stack.
 */
export const ACTION_LEAVES_OUT = {
  'dist/mermaid.js':
    "a gate's Mermaid check (3.4 MB): the feature workflow the Action runs has none; a workflow of the repository's own that asks for one stops at that gate saying so",
  'dist/pool.js': 'the pool of workers: a job of the Action runs its issue itself, the checks never pool',
  'dist/mcp.js': '`orchestrator mcp`',
  'dist/portal.js': '`orchestrator serve` and `orchestrator user`',
};

/**
 * What the Action tree's bundles read beside themselves (instead of RUNTIME_FILES): of the CLI's
 * files, only the audit's dimension templates (`audit` in the checks workflow); init's templates,
 * the demo's sample and package.json (the tree gets a minimal one of its own) stay out.
 */
const ACTION_READS = { 'dist/cliMain.js': ['.claude/audit/'] };

/** The Action's tree must stay within this (a production build; checked by `npm run release` and a test). */
export const ACTION_MAX_BYTES = 5_000_000;

/**
 * The three lists from the bundles' requires of each other (`graph`: siblingRequires of the build's
 * metafiles, paths relative to `root`) and what bundles read beside themselves (`runtimeFiles`:
 * bundle → paths, a folder ending in `/`).
 */
export function artifactLists(root, graph, runtimeFiles) {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const rel = (p) => p.replace(/^\.\//, '');
  const actionMain = rel(parse(readFileSync(join(root, 'action.yml'), 'utf8')).runs.main);
  const bins = typeof manifest.bin === 'string' ? [manifest.bin] : Object.values(manifest.bin ?? {});
  const license = readdirSync(root).filter((name) => /^LICEN[CS]E(\.\w+)?$/i.test(name));
  const action = new Set([
    'action.yml',
    ...license,
    ...closure(root, [actionMain, ...bins.map(rel)], graph, { ...runtimeFiles, ...ACTION_READS }, ACTION_LEAVES_OUT),
  ]);
  const docs = [...new Set([...packageDocuments(root), ...linkedDocuments(root, packageDocuments(root))])];
  const cli = new Set([...docs, ARTIFACTS_FILE, ...closure(root, bins.map(rel), graph, runtimeFiles), ...action]);
  const vsix = new Set([
    ...docs,
    ...closure(root, [rel(manifest.main)], graph, runtimeFiles),
    ...manifestFiles(root, manifest),
  ]);
  const sorted = (set) => [...set].sort();
  return { cli: sorted(cli), vsix: sorted(vsix), action: sorted(action) };
}

const GENERATED = (list) =>
  `# Generated by scripts/build.mjs from dist/artifacts.json (the \`${list}\` list, derived from the build): edit scripts/artifacts.mjs, not this file.\n`;

/**
 * The .npmignore that makes `npm pack` ship exactly `files`: everything ignored, then each listed
 * file and the folders on its way let back in (gitignore rules: a folder's children are ignored
 * again one level at a time, so nothing else in it comes along).
 */
export function npmIgnore(files) {
  const lines = [GENERATED('cli'), '/*'];
  const opened = new Set();
  for (const file of files) {
    const parts = file.split('/');
    for (let depth = 1; depth < parts.length; depth++) {
      const folder = parts.slice(0, depth).join('/');
      if (opened.has(folder)) continue;
      opened.add(folder);
      lines.push(`!/${folder}/`, `/${folder}/*`);
    }
    lines.push(`!/${file}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The .vscodeignore that makes vsce ship exactly `files` (its patterns are matched against each file's path). */
export function vscodeIgnore(files) {
  return `${[GENERATED('vsix'), '**', ...files.map((file) => `!${file}`)].join('\n')}\n`;
}

/** dist/artifacts.json of the package at `root`. */
export function readArtifacts(root) {
  return JSON.parse(readFileSync(join(root, ARTIFACTS_FILE), 'utf8'));
}
