/**
 * A package script that needs the network in one of its steps (`"test": "npm run lint && node
 * fetch-fixtures.js && ava"`) is no gate as a whole, but its other steps are: they run one by one
 * in the sandbox, in order, and those that pass, without the steps that need the network, become
 * one command (`npm run lint && npx ava`), so the layer keeps a gate. A step that fails for
 * another reason ends the split: what follows may need what it made.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandWords } from './checkCommands';
import { rootScriptName } from './packageCommands';
import { jsExec } from './proof/proofRunners';
import { scriptCommands } from './shellScript';
import type { VerifyOutcome } from './types';

export interface NetworkSplit {
  command: string;
  outcome: VerifyOutcome;
  /** The steps left out, each with what it reached for. */
  dropped: { step: string; what: string }[];
}

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

/** The script's steps with the network ones left out, when that leaves a command that passes; else undefined. */
/** `members`: a workspace's packages by name and by folder, each to its folder. */
export async function splitNetworkSteps(
  cwd: string,
  command: string,
  members: ReadonlyMap<string, string>,
  run: Run,
): Promise<NetworkSplit | undefined> {
  const script = packageScriptOf(cwd, command, members);
  if (!script) return undefined;
  const steps = scriptCommands(script.text).map((s) => s.text);
  if (steps.length < 2) return undefined;
  const kept: string[] = [];
  const dropped: NetworkSplit['dropped'] = [];
  let ms = 0;
  for (const [index, step] of steps.entries()) {
    const runnable = asCommand(step, join(cwd, script.dir), cwd, script.tool);
    const outcome = await run(`${script.cd}${runnable}`, index + 1, steps.length);
    if (outcome.status === 'passed') {
      kept.push(runnable);
      ms += outcome.ms;
    } else if ((outcome.status === 'failed' || outcome.status === 'timed-out') && outcome.cause?.needs === 'network') {
      dropped.push({ step, what: outcome.cause.what });
    } else {
      return undefined;
    }
  }
  if (kept.length === 0 || dropped.length === 0) return undefined;
  return { command: `${script.cd}${kept.join(' && ')}`, outcome: { status: 'passed', ms }, dropped };
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
): { text: string; dir: string; cd: string; tool: string } | undefined {
  const cd = /^cd ([\w./@+-]+) && (.*)$/.exec(command);
  const words = commandWords(cd?.[2] ?? command);
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
    const text = manifest.scripts?.[name];
    return typeof text === 'string' ? { text, dir, cd: dir ? `cd ${dir} && ` : '', tool } : undefined;
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
