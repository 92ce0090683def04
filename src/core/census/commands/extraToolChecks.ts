/**
 * What the build tools issue 75's held-out look found unread are asked to do: rebar3 (`./rebar3 ct`),
 * mill (`./mill -i __.jvm.__.test`), Crystal (`crystal spec`, `crystal tool format --check`) and Gleam
 * (`gleam test --target erlang`, `gleam format --check`).
 */
import { byName, NEVER_NAME, type Judged } from './runnerChecks';

export const EXTRA_TOOL_PROGRAMS = new Set(['rebar3', 'mill', 'crystal', 'shards', 'gleam']);

/** rebar3's tasks that check (`ct`, `eunit`, `xref`, `dialyzer`, `compile`), past `do`'s comma list. */
const REBAR3_CHECKS: Record<string, Judged['kind']> = {
  ct: 'test',
  eunit: 'test',
  proper: 'test',
  cover: 'test',
  xref: 'lint',
  dialyzer: 'typecheck',
  lint: 'lint',
  fmt: 'lint',
  compile: 'build',
};

/** mill's local publishing targets build artifacts and upload nothing: left out of the judgement beside a check. */
const MILL_LOCAL = /^publish(Artifacts|Local|M2Local)$/;

/** mill flags whose value is the next word (`-j 0`). */
const MILL_VALUE_FLAGS = new Set(['-j', '--jobs', '-D', '--define', '--import']);

export function extraToolCheck(program: string, args: readonly string[]): Judged | undefined {
  const plain = args.filter((w) => !w.startsWith('-'));
  const sub = plain[0];
  switch (program) {
    case 'rebar3': {
      const tasks = (
        sub === 'do'
          ? plain
              .slice(1)
              .join(' ')
              .split(/[\s,]+/)
          : [sub ?? '']
      ).filter(Boolean);
      const kinds = tasks.map((t) => REBAR3_CHECKS[t]);
      if (kinds.length === 0 || kinds.some((k) => k === undefined)) return undefined;
      return { kind: kinds.includes('test') ? 'test' : kinds[0]! };
    }
    case 'mill':
      return millTasks(args);
    case 'crystal':
      if (sub === 'spec') return { kind: 'test' };
      if (sub === 'tool' && plain[1] === 'format') return args.includes('--check') ? { kind: 'lint' } : undefined;
      return sub === 'build' && !args.includes('--release') ? { kind: 'build' } : undefined;
    case 'shards':
      return sub === 'build' ? { kind: 'build' } : undefined;
    case 'gleam':
      if (sub === 'test') return { kind: 'test' };
      if (sub === 'format') return args.includes('--check') ? { kind: 'lint' } : undefined;
      return sub === 'check' ? { kind: 'typecheck' } : sub === 'build' ? { kind: 'build' } : undefined;
  }
  return undefined;
}

/** mill's targets (`__.jvm.__.compile + __.jvm.__.test`, `ujson.jvm[2.13.11].test`): each by its last segment. */
function millTasks(args: readonly string[]): Judged | undefined {
  const targets: string[] = [];
  for (let i = 0; i < args.length; i++)
    if (MILL_VALUE_FLAGS.has(args[i]!)) i++;
    else if (!args[i]!.startsWith('-') && args[i] !== '+') targets.push(args[i]!);
  const kinds: Judged['kind'][] = [];
  for (const target of targets) {
    const task = target
      .replace(/\[[^\]]*\]/g, '')
      .split('.')
      .at(-1)!;
    if (MILL_LOCAL.test(task)) continue;
    if (task.split(/(?=[A-Z])/).some((part) => NEVER_NAME.test(part))) return undefined;
    const kind =
      task === 'test' || task === 'testOnly'
        ? 'test'
        : task === 'compile'
          ? 'build'
          : task === 'mimaReportBinaryIssues' || task === 'checkFormat'
            ? 'lint'
            : byName(task.replace(/([a-z0-9])([A-Z])/g, '$1-$2'))?.kind;
    if (kind === undefined) return undefined;
    kinds.push(kind);
  }
  if (kinds.length === 0) return undefined;
  return { kind: kinds.includes('test') ? 'test' : kinds[0]! };
}
