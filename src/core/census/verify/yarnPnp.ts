/**
 * Yarn's Plug'n'Play files in init's verification worktree. `.pnp.cjs` (and `.pnp.data.json`) name
 * each package's folder relative to themselves, and are usually gitignored, so the worktree lacks
 * them and every `require` of a dependency fails there. They are copied in, each path that leads out
 * of the project (Yarn's global cache: `../../../home/ada/.yarn/berry/cache/…`) made relative to the
 * worktree, so it leads where it did; `.pnp.loader.mjs` as it is. A link would not do: Node resolves
 * it to the checkout, and the worktree's files would be outside every workspace the map knows.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

const REBASED = ['.pnp.cjs', '.pnp.data.json'];
const AS_IS = ['.pnp.loader.mjs'];

/** Copies the checkout folder `from`'s Plug'n'Play files into the worktree folder `to`, where it has none. */
export function copyPnpFiles(from: string, to: string): void {
  if (!existsSync(to)) return;
  for (const name of [...REBASED, ...AS_IS]) {
    const source = join(from, name);
    if (!existsSync(source) || existsSync(join(to, name))) continue;
    const text = readFileSync(source, 'utf8');
    writeFileSync(join(to, name), REBASED.includes(name) ? rebased(text, from, to) : text);
  }
}

/** Every quoted `../…` path of `text`, written in `from`, rewritten as the same place seen from `to`. */
export function rebased(text: string, from: string, to: string): string {
  return text.replace(/(["'])((?:\.\.\/)+[^"'\n]*)\1/g, (_match, quote: string, path: string) => {
    const moved = relative(to, resolve(from, path)).split(sep).join('/');
    return `${quote}${moved}${path.endsWith('/') ? '/' : ''}${quote}`;
  });
}
