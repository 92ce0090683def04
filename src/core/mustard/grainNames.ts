/**
 * UNDERSTAND without an entity registry: the names a Mustard project's grain model knows.
 * Its conventions list entities (`Order`, `Customer`); its modules are files named after
 * them with a role's affix (`OrderService.ts`, `order_repository.rs` for roles `Service`,
 * `Repository`). A request naming one of them is about a known thing, and the layers owning
 * its files are the ones involved.
 */
import type { GrainModel } from './grainModel';

export interface GrainMention {
  /** As the model writes it (`Order`). */
  name: string;
  /** The first convention listing it, used as its pattern. */
  convention?: string;
  /** Workspace-relative modules named after it. */
  paths: string[];
}

interface GrainNames {
  /** spelling key (lower case, letters and digits) → the name and where it comes from */
  byKey: Map<string, GrainMention>;
  longest: number;
}

const built = new WeakMap<GrainModel, GrainNames>();

const keyOf = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '');

function namesOf(model: GrainModel): GrainNames {
  const cached = built.get(model);
  if (cached) return cached;
  const byKey = new Map<string, GrainMention>();
  const add = (name: string, fields: { convention?: string; path?: string }) => {
    const key = keyOf(name);
    if (key.length < 3) return;
    const entry = byKey.get(key) ?? byKey.set(key, { name, paths: [] }).get(key)!;
    if (fields.convention && !entry.convention) entry.convention = fields.convention;
    if (fields.path && entry.paths.length < 50) entry.paths.push(fields.path);
  };
  for (const convention of model.conventions)
    for (const entity of convention.entities) add(entity, { convention: convention.name });
  const affixes = model.roles
    .map((r) => ({ key: keyOf(r.affix), prefix: r.kind === 'prefix' }))
    .filter((a) => a.key.length > 0);
  for (const module of model.modules) {
    const base = module.path.split('/').at(-1)?.replace(/\..*$/, '') ?? '';
    const words = base
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .split(/[\s_.-]+/)
      .filter(Boolean);
    for (const affix of affixes) {
      const joined = keyOf(base);
      if (joined.length <= affix.key.length) continue;
      if (affix.prefix ? joined.startsWith(affix.key) : joined.endsWith(affix.key)) {
        // The words left once the affix is taken off, kept as written: `OrderLineService` → `OrderLine`.
        const rest = affix.prefix ? dropLeading(words, affix.key) : dropTrailing(words, affix.key);
        if (rest) add(rest, { path: module.path });
      }
    }
  }
  // Modules named exactly like a convention's entity (`order.rs`, `Order.ts`) are its files too.
  for (const module of model.modules) {
    const key = keyOf(module.path.split('/').at(-1)?.replace(/\..*$/, '') ?? '');
    const entry = byKey.get(key);
    if (entry && entry.paths.length < 50 && !entry.paths.includes(module.path)) entry.paths.push(module.path);
  }
  let longest = 0;
  for (const key of byKey.keys()) longest = Math.max(longest, key.length);
  const names = { byKey, longest };
  built.set(model, names);
  return names;
}

function dropTrailing(words: string[], affixKey: string): string | undefined {
  for (let n = words.length - 1; n > 0; n--)
    if (keyOf(words.slice(n).join('')) === affixKey) return pascal(words.slice(0, n));
  return undefined;
}

function dropLeading(words: string[], affixKey: string): string | undefined {
  for (let n = 1; n < words.length; n++)
    if (keyOf(words.slice(0, n).join('')) === affixKey) return pascal(words.slice(n));
  return undefined;
}

const pascal = (words: string[]): string => words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');

/**
 * The first name of the model the request mentions: one word or up to three consecutive
 * words in any spelling (`order line`, `order-lines`, `OrderLine`), plural `s`/`es`/`ies` too.
 */
export function grainMention(request: string, model: GrainModel): GrainMention | undefined {
  const { byKey, longest } = namesOf(model);
  if (byKey.size === 0) return undefined;
  const words = [...request.matchAll(/[A-Za-z0-9]+/g)].map((m) => m[0].toLowerCase());
  for (let first = 0; first < words.length; first++) {
    let joined = '';
    for (let last = first; last < Math.min(words.length, first + 3); last++) {
      joined += words[last];
      if (joined.length > longest + 3) break;
      const forms = [
        joined,
        joined.endsWith('ies') ? `${joined.slice(0, -3)}y` : '',
        joined.endsWith('es') ? joined.slice(0, -2) : '',
        joined.endsWith('s') ? joined.slice(0, -1) : '',
      ];
      for (const form of forms) {
        const hit = form ? byKey.get(form) : undefined;
        if (hit) return hit;
      }
    }
  }
  return undefined;
}
