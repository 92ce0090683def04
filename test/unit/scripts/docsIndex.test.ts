// Issue 59 item 6: docs/README.md is the index of the documentation, so a page added to docs/
// without a row there cannot be found from the README (pool.md and workflows.md were missing);
// and the pages a user reads first link only to files and headings that exist.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const ROOT = join(__dirname, '../../..');
const DOCS = join(ROOT, 'docs');
const pages = (): string[] =>
  readdirSync(DOCS)
    .filter((name) => name.endsWith('.md') && name !== 'README.md')
    .sort();

/** The markdown links of a text outside its code blocks: `[text](target#anchor)`. */
function linksOf(markdown: string): { target: string; anchor?: string }[] {
  const links: { target: string; anchor?: string }[] = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) continue;
    for (const [, target, anchor] of line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s#]*)(?:#([^)\s]*))?\)/g)) {
      links.push({ target: target!, ...(anchor ? { anchor } : {}) });
    }
  }
  return links;
}

/** GitHub's anchors of a page's headings (lower case, punctuation dropped, spaces to hyphens). */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = !fenced && /^#{1,6} (.*)$/.exec(line);
    if (heading)
      anchors.add(
        heading[1]!
          .trim()
          .toLowerCase()
          .replace(/[^\p{L}\p{N}\s_-]/gu, '')
          .replace(/\s/g, '-'),
      );
  }
  return anchors;
}

test('docs/README.md links every page of docs/, and only pages that exist', () => {
  const index = readFileSync(join(DOCS, 'README.md'), 'utf8');
  const linked = new Set(linksOf(index).map((link) => link.target));
  assert.deepEqual(
    pages().filter((page) => !linked.has(page)),
    [],
    'pages of docs/ missing from its index, docs/README.md',
  );
  assert.deepEqual(
    [...linked].filter((target) => target.endsWith('.md') && !existsSync(join(DOCS, target))),
    [],
  );
});

test('the README, CONTRIBUTING, CHANGELOG and docs pages link to files and headings that exist', () => {
  const files = [
    'README.md',
    'CONTRIBUTING.md',
    'CHANGELOG.md',
    ...pages().map((page) => `docs/${page}`),
    'docs/README.md',
  ];
  const dead: string[] = [];
  for (const file of files) {
    const path = join(ROOT, file);
    for (const { target, anchor } of linksOf(readFileSync(path, 'utf8'))) {
      if (/^[a-z][a-z+.-]*:/i.test(target)) continue; // https:, mailto:
      const to = target ? resolve(dirname(path), target) : path;
      if (!existsSync(to)) dead.push(`${file}: ${target} does not exist`);
      else if (anchor && to.endsWith('.md') && !anchorsOf(readFileSync(to, 'utf8')).has(anchor))
        dead.push(`${file}: ${relative(ROOT, to)} has no heading #${anchor}`);
    }
  }
  assert.deepEqual(dead, []);
});
