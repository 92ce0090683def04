/**
 * The grain model's modules a request is about, when it names a feature rather than an entity:
 * "export invoices as CSV" finds `apps/web/src/invoices/InvoiceTable.tsx` and
 * `crates/billing/src/invoice_export.rs` because their paths carry the request's words. Words
 * of the request (four letters or more, not the verbs every request has) are matched against
 * the parts of each module's path — folders and file name split at `/ _ - .` and camelCase —
 * in singular or plural; modules matching more words rank first.
 */
import type { GrainModel } from './grainModel';

/** At most this many modules go to UNDERSTAND and the spec prompt. */
const MAX_MODULES = 12;

// Words every request has, and path parts every module has: they relate nothing.
const COMMON = new Set([
  'about',
  'after',
  'also',
  'been',
  'before',
  'both',
  'change',
  'changes',
  'create',
  'does',
  'each',
  'every',
  'feature',
  'field',
  'fields',
  'file',
  'files',
  'from',
  'have',
  'implement',
  'into',
  'list',
  'make',
  'more',
  'must',
  'need',
  'new',
  'only',
  'other',
  'page',
  'should',
  'show',
  'shows',
  'some',
  'support',
  'than',
  'that',
  'their',
  'them',
  'then',
  'there',
  'these',
  'they',
  'this',
  'when',
  'where',
  'which',
  'will',
  'with',
  'without',
  'would',
  'your',
  'index',
  'main',
  'src',
  'lib',
  'test',
  'tests',
  'spec',
  'utils',
  'util',
  'common',
  'shared',
  'types',
  'apps',
  'packages',
  'crates',
  'components',
  'mod',
  'add',
  'fix',
  'update',
  'remove',
  'delete',
  'allow',
  'users',
  'user',
]);

const singular = (word: string): string =>
  word.endsWith('ies')
    ? `${word.slice(0, -3)}y`
    : word.endsWith('ses')
      ? word.slice(0, -2)
      : word.endsWith('s') && !word.endsWith('ss')
        ? word.slice(0, -1)
        : word;

/** The request's words that can relate a module, singular. */
function requestWords(request: string): Set<string> {
  const words = [...request.toLowerCase().matchAll(/\p{L}[\p{L}\p{N}]*/gu)].map((m) => m[0]);
  return new Set(
    words
      .filter((w) => w.length >= 4 && !COMMON.has(w))
      .map(singular)
      .filter((w) => !COMMON.has(w)),
  );
}

/** The parts of a path, singular: `apps/web/src/InvoiceTable.tsx` → apps, web, src, invoice, table, tsx. */
function pathWords(path: string): Set<string> {
  const spaced = path.replace(/([a-z0-9])([A-Z])/g, '$1 $2');
  return new Set(
    spaced
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean)
      .map(singular),
  );
}

/** Workspace-relative modules whose paths carry the request's words, best first. */
export function relatedModules(request: string, model: GrainModel, limit = MAX_MODULES): string[] {
  const words = requestWords(request);
  if (words.size === 0) return [];
  const scored: { path: string; score: number }[] = [];
  for (const module of model.modules) {
    const parts = pathWords(module.path);
    let score = 0;
    for (const word of words) if (parts.has(word)) score++;
    if (score > 0) scored.push({ path: module.path, score });
  }
  scored.sort((a, b) => b.score - a.score || a.path.length - b.path.length || a.path.localeCompare(b.path));
  return scored.slice(0, limit).map((s) => s.path);
}
