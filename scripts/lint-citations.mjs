// `npm run lint`'s third part: no comment (nor page of docs/) cites a file the repository lacks.
// The design notes the project was built from live outside it; the contracts they hold are in
// docs/, which is what comments cite. Fails naming each file:line that cites one of those notes
// (OUTSIDE, unless the repository has that file) or a docs/ page that does not exist.
//
//   node scripts/lint-citations.mjs [root]   # default: the repository
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUTSIDE = /\b(DESIGN|DOOR|E2E|REALWORLD|AGENT-CLIS)\.md\b/g;
const DOCS_PAGE = /\bdocs\/[\w.-]+\.(md|png|svg)\b/g;
const FOLDERS = ['src', 'webview', 'scripts', 'test', 'bench', 'docs', '.ci', '.github'];
const SKIP = new Set(['node_modules', 'dist', 'out', 'test-output', 'fixtures']);
const TEXT = /\.(ts|mts|mjs|cjs|js|sh|md|ya?ml)$/;

function* files(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (TEXT.test(entry.name)) yield path;
  }
}

/** A line's comment: all of it in markdown, after `#` in shell and YAML, after `//` or a block comment's `*` in code. */
function commentOf(path, line) {
  if (path.endsWith('.md')) return line;
  if (/\.(sh|ya?ml)$/.test(path)) return line.includes('#') ? line.slice(line.indexOf('#')) : '';
  const trimmed = line.trimStart();
  if (trimmed.startsWith('*') || trimmed.startsWith('/*')) return trimmed;
  const slashes = line.indexOf('//');
  return slashes >= 0 && !/['"`]/.test(line.slice(0, slashes).replace(/https?:$/, '')) ? line.slice(slashes) : '';
}

/** Each `file:line: cites X` of the tree under root. */
export function deadCitations(root) {
  const have = (name) => existsSync(join(root, name)) || existsSync(join(root, 'docs', name));
  const found = [];
  for (const top of [...FOLDERS.map((f) => join(root, f)), join(root, 'README.md')]) {
    for (const path of top.endsWith('.md') ? (existsSync(top) ? [top] : []) : files(top)) {
      readFileSync(path, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const comment = commentOf(path, line);
          for (const [name] of comment.matchAll(OUTSIDE))
            if (!have(name)) found.push(`${relative(root, path)}:${i + 1}: cites ${name}, which the repository lacks`);
          for (const [page] of comment.matchAll(DOCS_PAGE))
            if (!existsSync(join(root, page)))
              found.push(`${relative(root, path)}:${i + 1}: cites ${page}, which the repository lacks`);
        });
    }
  }
  return found;
}

if (process.argv[1] && basename(process.argv[1]) === 'lint-citations.mjs') {
  const root = process.argv[2] ?? join(fileURLToPath(import.meta.url), '..', '..');
  const found = deadCitations(root);
  for (const line of found) console.error(line);
  if (found.length) {
    console.error(
      `lint-citations: ${found.length} citation(s) of files the repository lacks; cite the docs/ page that holds the contract`,
    );
    process.exit(1);
  }
}
