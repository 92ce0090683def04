/**
 * How a consumer takes its producer's changed head in the consumer's throwaway worktree (issue 73,
 * docs/changesets.md "Proof on the combined heads"), by the edge's `via`: never in the user's
 * checkout, never the published version. `npm`: the package in node_modules is the producer's work
 * tree (a link, as `npm link` makes; its own dependencies resolve from the producer's). `openapi`,
 * `proto`: the consumer's `generate` run with `{schema}` the producer's changed schema. `go`: a
 * `replace` of the module by the producer's work tree. `pip`: the producer's work tree first on
 * PYTHONPATH (its `src/` too), as an editable install would put it. `command`: the user's link step
 * with `{producer}` the producer's work tree.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import type { MemberUse } from '../project/changeSet';

/** A step to run in the consumer's worktree, or what the link changed there already. */
export type LinkStep = { run: string } | { env: Record<string, string> } | { linked: string };

/** The producer's place: its throwaway worktree's folder, as the consumer's commands see it. */
export function linkStep(use: MemberUse, consumerCwd: string, producerCwd: string): LinkStep {
  switch (use.via) {
    case 'npm':
      linkPackage(consumerCwd, use.package!, producerCwd);
      return { linked: `node_modules/${use.package!}` };
    case 'openapi':
    case 'proto':
      return { run: use.generate!.replaceAll('{schema}', quoted(join(producerCwd, use.schema!))) };
    case 'go':
      return { run: `go mod edit -replace=${use.package!}=${quoted(producerCwd)}` };
    case 'pip': {
      const paths = [join(producerCwd, 'src'), producerCwd].filter((p) => existsSync(p));
      return { env: { PYTHONPATH: paths.join(delimiter) } };
    }
    case 'command':
      return { run: use.link!.replaceAll('{producer}', quoted(producerCwd)) };
  }
}

/**
 * `node_modules/<name>` of the consumer's worktree a link to the producer's work tree. The
 * worktree's node_modules holds links to the checkout's entries (verifySandbox.ts): a scope's
 * (`@shop`) is made a folder of its own first, so the link is made in the worktree, not through
 * the checkout's.
 */
function linkPackage(cwd: string, name: string, target: string): void {
  const path = join(cwd, 'node_modules', name);
  const scope = name.startsWith('@') ? dirname(path) : undefined;
  if (scope && isLink(scope)) {
    const from = resolve(dirname(scope), readlinkSync(scope));
    rmSync(scope);
    mkdirSync(scope);
    for (const entry of readdirSync(from)) symlinkSync(join(from, entry), join(scope, entry));
  }
  mkdirSync(dirname(path), { recursive: true });
  rmSync(path, { recursive: true, force: true });
  symlinkSync(target, path, 'dir');
}

const isLink = (path: string): boolean => {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
};

const quoted = (path: string): string => (/^[\w./-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`);
