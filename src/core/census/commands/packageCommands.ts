/** How a package script of one project is run from the repository root, per package manager. */
import type { Workspaces } from '../manifests/workspaces';
import type { Project } from '../types';

export type { PackageManager } from '../../project/commands';
import type { PackageManager } from '../../project/commands';

/** `pnpm --filter web typecheck`, `npm run lint -w apps/web`, `yarn workspace web run lint`, or `cd frontend && npm run lint`. */
export function scriptCommand(
  project: Project,
  script: string,
  workspaces: Workspaces,
  manager: PackageManager,
): string {
  const member = workspaces.js?.members.get(project.dir);
  if (member !== undefined && workspaces.js) {
    switch (workspaces.js.manager) {
      case 'pnpm':
        return `pnpm --filter ${member} ${script}`;
      case 'yarn':
        return `yarn workspace ${member} run ${script}`;
      case 'bun':
        return `bun run --filter ${member} ${script}`;
      default:
        return `npm run ${script} -w ${project.dir}`;
    }
  }
  const run = manager === 'npm' ? `npm run ${script}` : `${manager} run ${script}`;
  return project.dir === '' ? run : `cd ${project.dir} && ${run}`;
}

/** Script names of each kind, best first. */
export const TYPECHECK_SCRIPTS = ['typecheck', 'type-check', 'check-types', 'types', 'tsc', 'check'];
export const LINT_SCRIPTS = ['lint'];
export const BUILD_SCRIPTS = ['build'];
export const TEST_SCRIPTS = ['test', 'test:unit', 'unit'];

/** A script that only prints, watches or serves, or drives a browser against a served app, is no check. */
export function isUsableScript(text: string | undefined): text is string {
  if (text === undefined || text.trim() === '') return false;
  if (/^\s*(echo|exit|true)\b/.test(text) || /no test specified/i.test(text)) return false;
  // Browser end-to-end runs need the app served and browsers installed: as CI's own commands, no check here.
  if (/\b(playwright|cypress)\s+(test|run)\b|\b(start-server-and-test|wait-on|newman)\b/.test(text)) return false;
  return !/(--watch\b|\bwatch\b|\bserve\b|\b(next|nuxt|vite|astro|remix) dev\b|\bstart\b)/.test(text);
}

/** The scripts a recursive runner (turbo, nx, pnpm -r, lerna, yarn workspaces) runs, or undefined for other commands. */
export function recursiveScripts(words: readonly string[]): string[] | undefined {
  const plain = words.filter((w) => !w.startsWith('-'));
  const flags = words.filter((w) => w.startsWith('-'));
  const [program, ...rest] = plain;
  const tool = program?.split('/').at(-1);
  const scripts = (list: string[]) => list.filter((w) => /^[\w:.-]+$/.test(w));
  if (tool === 'npx' || tool === 'pnpx' || tool === 'bunx') return recursiveScripts(words.slice(1));
  if (
    (tool === 'pnpm' || tool === 'yarn' || tool === 'npm' || tool === 'bun') &&
    (rest[0] === 'turbo' || rest[0] === 'nx' || rest[0] === 'lerna')
  )
    return recursiveScripts(words.slice(1));
  if (tool === 'turbo') return scripts(rest[0] === 'run' ? rest.slice(1) : rest);
  if (tool === 'lerna' && rest[0] === 'run') return scripts(rest.slice(1, 2));
  if (tool === 'nx' && (rest[0] === 'run-many' || rest[0] === 'affected')) {
    const at = words.findIndex((w) => w === '-t' || w === '--target' || w === '--targets');
    const inline = words.find((w) => w.startsWith('--target=') || w.startsWith('--targets='));
    if (inline) return inline.split('=')[1]!.split(',');
    return at >= 0 && words[at + 1] ? words[at + 1]!.split(',') : undefined;
  }
  if (tool === 'pnpm' && flags.some((f) => f === '-r' || f === '--recursive'))
    return scripts(rest[0] === 'run' ? rest.slice(1, 2) : rest.slice(0, 1));
  if (tool === 'npm' && flags.some((f) => f === '--workspaces' || f === '-ws'))
    return scripts(rest[0] === 'run' ? rest.slice(1, 2) : rest.slice(0, 1));
  if (tool === 'yarn' && rest[0] === 'workspaces') {
    const run = rest.indexOf('run');
    return run >= 0 && rest[run + 1] ? [rest[run + 1]!] : undefined;
  }
  return undefined;
}

/** The root script a plain `pnpm lint` / `npm run lint` / `yarn lint` runs, when the command is one. */
export function rootScriptName(words: readonly string[]): string | undefined {
  const plain = words.filter((w) => !w.startsWith('-'));
  const tool = plain[0]?.split('/').at(-1);
  if (words.some((w) => w.startsWith('-') && w !== '--')) return undefined;
  if (tool === 'npm')
    return plain[1] === 'run' || plain[1] === 'run-script'
      ? plain[2]
      : plain[1] === 'test' || plain[1] === 't'
        ? 'test'
        : undefined;
  if (tool === 'pnpm' || tool === 'yarn' || tool === 'bun') return plain[1] === 'run' ? plain[2] : plain[1];
  return undefined;
}
