/**
 * A package script that cannot be a gate as a whole still has steps that can: one that needs the
 * network in one step (`"test": "npm run lint && node fetch-fixtures.js && ava"`), or one whose check
 * fails on the base (`"test": "npm run test:size && npm run fmt:check && npm run test:unit"`, the size
 * over its limit before any change). Its steps run one by one in the sandbox, in order (its `pre` and
 * `post` scripts with them, as the package manager runs them), and those that pass, without the steps
 * that need the network or the checks that fail on the base, become one command (`npm run pretest &&
 * npm run fmt:check && npm run test:unit`), so the layer keeps its suite as a gate. Any other step failing
 * (a build, the tests themselves) ends the split: what follows may need what it made.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandWords } from '../commands/checkCommands';
import { rootScriptName } from '../commands/packageCommands';
import { jsExec } from '../proof/proofRunners';
import { scriptCommands } from '../commands/shellScript';
import type { VerifyOutcome } from '../types';

export interface StepSplit {
  command: string;
  outcome: VerifyOutcome;
  /** The steps left out, each with why: what it reached for, or its first error line on the base. */
  dropped: { step: string; what: string }[];
}

/**
 * A check that may fail on the base and be left out of a split, by its words: a size, a lint, a format, a
 * licence header, types, an audit (zx's `npm run test:size`). Never the tests themselves: a suite failing on
 * the base leaves the script whole (jasmine-npm's `node ./bin/jasmine.js && npm run lint` would keep its lint only).
 */
const ASIDE_CHECK =
  /(^|[\s:/-])(size|size-limit|lint|eslint|fmt|format|prettier|license|licence|types|typecheck|tsd|check-dts|audit|circular|madge|spell|cspell)([\s:-]|$)/;

/** Programs a package script runs from PATH itself, never from `node_modules/.bin`. */
const SHELL_PROGRAMS = new Set([
  'node',
  'npm',
  'npx',
  'pnpm',
  'yarn',
  'bun',
  'bunx',
  'deno',
  'sh',
  'bash',
  'cd',
  'env',
  'true',
  'false',
  'test',
  'echo',
  'python',
  'python3',
]);

/** Runs one step (`index` of `total`, from 1). */
type Run = (command: string, index: number, total: number) => Promise<VerifyOutcome>;

/**
 * The script's steps with the network ones left out (and, `failedOnBase`, the checks failing on the base),
 * when that leaves a command that passes; else undefined. `members`: a workspace's packages by name and by
 * folder, each to its folder.
 */
export async function splitSteps(
  cwd: string,
  command: string,
  members: ReadonlyMap<string, string>,
  run: Run,
  failedOnBase = false,
): Promise<StepSplit | undefined> {
  const script = packageScriptOf(cwd, command, members);
  if (!script) return undefined;
  const own = scriptCommands(script.text).flatMap((s) => scriptsMatched(s.text, script.scripts) ?? [s.text]);
  const around = (when: 'pre' | 'post') =>
    script.hooks.includes(`${when}${script.name}`) ? [`${script.tool} run ${when}${script.name}`] : [];
  const steps = [...around('pre'), ...own, ...around('post')];
  if (steps.length < 2) return undefined;
  const kept: string[] = [];
  const dropped: StepSplit['dropped'] = [];
  let ms = 0;
  for (const [index, step] of steps.entries()) {
    const runnable = `${script.env}${asCommand(step, join(cwd, script.dir), cwd, script.tool)}`;
    const outcome = await run(`${script.cd}${runnable}`, index + 1, steps.length);
    if (outcome.status === 'passed') {
      kept.push(runnable);
      ms += outcome.ms;
    } else if ((outcome.status === 'failed' || outcome.status === 'timed-out') && outcome.cause?.needs === 'network') {
      dropped.push({ step, what: outcome.cause.what });
    } else if (failedOnBase && outcome.status === 'failed' && !outcome.cause && ASIDE_CHECK.test(step)) {
      dropped.push({ step, what: `fails before any change: ${outcome.firstLines[0] ?? `exit code not 0`}` });
    } else {
      return undefined;
    }
  }
  if (kept.length === 0 || dropped.length === 0) return undefined;
  return { command: `${script.cd}${kept.join(' && ')}`, outcome: { status: 'passed', ms }, dropped };
}

/** pnpm's `pnpm run /^test:/`: each script whose name the pattern matches, as a step of its own. */
function scriptsMatched(step: string, scripts: Readonly<Record<string, unknown>>): string[] | undefined {
  const m = /^((?:[A-Za-z_]\w*=\S*\s+)*)pnpm\s+run\s+\/(.+)\/\s*$/.exec(step.trim());
  if (!m) return undefined;
  try {
    const re = new RegExp(m[2]!);
    return Object.keys(scripts)
      .filter((name) => re.test(name))
      .map((name) => `${m[1]}pnpm run ${name}`);
  } catch {
    return undefined;
  }
}

/**
 * `npm test`, `cd web && pnpm run check`, `npm run test -w apps/web`, `pnpm --filter web test`,
 * `yarn workspace web run test`: the script's text, its package's folder (a member named by the
 * workspace's projects) and the tool that runs it.
 */
function packageScriptOf(
  cwd: string,
  command: string,
  members: ReadonlyMap<string, string>,
):
  | {
      text: string;
      name: string;
      hooks: string[];
      scripts: Readonly<Record<string, unknown>>;
      dir: string;
      cd: string;
      env: string;
      tool: string;
    }
  | undefined {
  const cd = /^cd ([\w./@+-]+) && (.*)$/.exec(command);
  const all = commandWords(cd?.[2] ?? command);
  // CI's variables before the command (`FORCE_COLOR=3 npm test`) go before each step.
  const env = all.slice(
    0,
    Math.max(
      0,
      all.findIndex((w) => !/^[A-Za-z_]\w*=/.test(w)),
    ),
  );
  const words = all.slice(env.length);
  const tool = words[0]?.split('/').at(-1);
  if (!tool || words.includes('--')) return undefined;
  const member = workspaceMember(words, members);
  const name = member ? member.script : rootScriptName(words);
  const dir = member?.dir ?? cd?.[1] ?? '';
  if (!name || (member && cd)) return undefined;
  try {
    const manifest = JSON.parse(readFileSync(join(cwd, dir, 'package.json'), 'utf8')) as {
      scripts?: Record<string, unknown>;
    };
    const scripts = manifest.scripts ?? {};
    const text = scripts[name];
    // npm and pnpm run `pre`/`post` scripts around the one named; Yarn berry does not.
    const hooks = tool === 'yarn' ? [] : [`pre${name}`, `post${name}`].filter((h) => typeof scripts[h] === 'string');
    return typeof text === 'string'
      ? { text, name, hooks, scripts, dir, cd: dir ? `cd ${dir} && ` : '', env: env.map((w) => `${w} `).join(''), tool }
      : undefined;
  } catch {
    return undefined;
  }
}

/** A workspace member's script as the package manager names it: its folder and the script. */
function workspaceMember(
  words: readonly string[],
  members: ReadonlyMap<string, string>,
): { dir: string; script: string } | undefined {
  const [tool, ...rest] = words;
  const at = (flags: string[]) => rest.findIndex((w) => flags.includes(w));
  const inline = (flag: string) => rest.find((w) => w.startsWith(`${flag}=`))?.slice(flag.length + 1);
  const plainAfter = (skip: number[]) => rest.filter((w, i) => !skip.includes(i) && !w.startsWith('-'));
  const script = (plain: string[]) =>
    plain[0] === 'run' || plain[0] === 'run-script' ? plain[1] : plain[0] === 't' ? 'test' : plain[0];
  if (tool === 'npm') {
    const flag = at(['-w', '--workspace']);
    const dir = flag >= 0 ? rest[flag + 1] : inline('--workspace');
    if (!dir) return undefined;
    const name = script(plainAfter(flag >= 0 ? [flag, flag + 1] : []));
    return name ? { dir: members.get(dir) ?? dir, script: name } : undefined;
  }
  if (tool === 'pnpm' || tool === 'bun') {
    const flag = at(['--filter', '-F']);
    const member = flag >= 0 ? rest[flag + 1] : inline('--filter');
    const dir = member === undefined ? undefined : members.get(member);
    const name = script(plainAfter(flag >= 0 ? [flag, flag + 1] : []));
    return dir !== undefined && name ? { dir, script: name } : undefined;
  }
  if (tool === 'yarn' && rest[0] === 'workspace' && rest[1]) {
    const dir = members.get(rest[1]);
    const name = script(rest.slice(2).filter((w) => !w.startsWith('-')));
    return dir !== undefined && name ? { dir, script: name } : undefined;
  }
  return undefined;
}

/** A script's step as a command of its own: a package's binary (`ava`) through the package manager (`npx ava`), as the script found it on its PATH. */
function asCommand(step: string, packageDir: string, root: string, tool: string): string {
  const words = commandWords(step);
  const at = words.findIndex((w) => !/^[A-Za-z_]\w*=/.test(w));
  const program = words[at];
  if (at < 0 || !program || program.includes('/') || SHELL_PROGRAMS.has(program)) return step;
  const isBin = [packageDir, root].some((dir) => existsSync(join(dir, 'node_modules', '.bin', program)));
  if (!isBin) return step;
  const exec = jsExec(tool === 'npm' ? 'npm' : (tool as Parameters<typeof jsExec>[0])).join(' ');
  const assignments = /^(?:[A-Za-z_]\w*=(?:'[^']*'|"[^"]*"|\S*)\s+)*/.exec(step)![0];
  return `${assignments}${exec} ${step.slice(assignments.length)}`;
}
