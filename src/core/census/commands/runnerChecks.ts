/**
 * How the programs that run other things are judged: a package script, a task file's target, a
 * Gradle or Maven task list, a mix task, a turbo/nx/lerna pipeline — by the names they run (and a
 * package script's text when known), never by a word somewhere in the line.
 */

/** The kind of check a command is, best first when a layer has more commands than it keeps. */
export type CheckKind = 'lint' | 'typecheck' | 'test' | 'build';

/** A package script's text by name, when the census knows it (a check script that runs newman is none). */
export type ScriptText = (name: string) => string | undefined;

export interface Judged {
  kind: CheckKind;
  /** The checked program's words when they changed (`clean` dropped). */
  words?: string[];
}

/** Script, task and target names (and their parts) that never check: setup, ship, serve, generate, browser tests. */
export const NEVER_NAME =
  /^(install|setup|bootstrap|prepare|postinstall|preinstall|clean|deploy|release|publish|package|pack|dist|bundle|installer|msi|nsis|dmg|appimage|deb|rpm|docker|image|push|upload|start|serve|server|dev|watch|preview|generate|gen|codegen|build_runner|e2e|cypress|playwright|postman|newman|api-test|load|loadtest|k6|storybook|electron|tauri|windows|win|macos|mac|linux|android|ios|apk|appbundle|ipa|web-release|docs|doc|coverage-upload|version|changelog|format|fmt|fix|migrate|seed)$/i;
/** Script, task and target names whose parts say they check. */
const CHECK_NAME =
  /^(test|tests|unit|spec|specs|lint|linter|lints|eslint|stylelint|check|checks|typecheck|type-check|types|tsc|mypy|pyright|ruff|vet|clippy|analy[sz]e|analysis|static|verify|validate|ci|build|compile|qa|quality)$/i;
/** Parts that turn a fix or format into a check. */
const CHECK_SUFFIX = /^(check|ci|verify|lint)$/i;

export function isPlaceholder(command: string): boolean {
  const trimmed = command.trim();
  return (
    trimmed === '' ||
    /<[^>]+>/.test(trimmed) ||
    /^(echo|true|:|exit 0|printf)\b/.test(trimmed) ||
    /no test specified/i.test(trimmed) ||
    /^(TODO|FIXME)/i.test(trimmed)
  );
}

/** A script, task or target name judged by its parts: `test:unit` and `lint-js` check; `build:windows`, `test:e2e` and `generate` do not. */
export function byName(name: string | undefined): Judged | undefined {
  if (!name) return undefined;
  const parts = name.split(/[:._-]/).filter(Boolean);
  if (
    parts.length === 0 ||
    parts.some((p) => NEVER_NAME.test(p) && !(CHECK_SUFFIX.test(parts.at(-1)!) && /^(format|fmt|fix)$/i.test(p)))
  )
    return undefined;
  if (!parts.some((p) => CHECK_NAME.test(p) || CHECK_SUFFIX.test(p))) return undefined;
  const lower = name.toLowerCase();
  const kind: CheckKind = /test|spec|unit/.test(lower)
    ? 'test'
    : /type|tsc|mypy|pyright|check$|^check/.test(lower) && !/lint/.test(lower)
      ? 'typecheck'
      : /build|compile/.test(lower)
        ? 'build'
        : 'lint';
  return { kind };
}

/** What npm, pnpm, yarn and bun do themselves rather than run a script. */
const PACKAGE_MANAGER_COMMANDS =
  /^(install|i|add|remove|rm|uninstall|update|up|upgrade|link|unlink|prune|dedupe|audit|outdated|publish|pack|version|config|cache|init|create|login|logout|whoami|set|why|list|ls|info|view|rebuild|import|patch|fetch|store|env|setup|global)$/;

/** Judges a script's own text (checkCommands.ts): what a script whose name says nothing (`testonly`) runs. */
export type TextJudge = (text: string) => Judged | undefined;

export function packageScript(
  program: string,
  args: readonly string[],
  scriptText: ScriptText | undefined,
  byText?: TextJudge,
): Judged | undefined {
  const flagsWithValue = new Set(['--filter', '-F', '-C', '--dir', '--prefix', '-w', '--workspace', '--cwd']);
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (flagsWithValue.has(args[i]!)) i++;
    else if (args[i] === '--') break;
    else if (!args[i]!.startsWith('-')) positional.push(args[i]!);
  }
  if (program === 'yarn' && positional[0] === 'workspace') positional.splice(0, 2);
  if (program === 'yarn' && positional[0] === 'workspaces') positional.splice(0, positional[1] === 'foreach' ? 2 : 1);
  const [first, second] = positional;
  // `npm ci` and `bun ci` are their frozen installs (for pnpm and yarn, `ci` is a script of the project's).
  if (
    first === undefined ||
    PACKAGE_MANAGER_COMMANDS.test(first) ||
    (first === 'ci' && (program === 'npm' || program === 'bun'))
  )
    return undefined;
  if (first === 'turbo' || first === 'nx' || first === 'lerna')
    return recursiveNames(first, args.slice(args.indexOf(first) + 1));
  if (first === 'test' || first === 't' || (program === 'bun' && first === 'test'))
    return scriptBody('test', scriptText) ?? undefined;
  const name = first === 'run' || first === 'run-script' ? second : first;
  if (first === 'exec' || first === 'dlx' || first === 'x') return undefined;
  return scriptBody(name, scriptText, byText);
}

/**
 * A script judged by its name, and by its text when known: `"test:api": "newman run …"` is none. A name that
 * says neither check nor never (graphql-js's `"testonly": "mocha …"`, which its CI runs) is judged by its text.
 */
function scriptBody(
  name: string | undefined,
  scriptText: ScriptText | undefined,
  byText?: TextJudge,
): Judged | undefined {
  const judged = name === 'test' ? { kind: 'test' as const } : byName(name);
  if (!name) return judged;
  const text = scriptText?.(name);
  if (text === undefined) return judged;
  if (
    isPlaceholder(text) ||
    /(^|\s|&&|;)\s*(newman|wait-on|start-server-and-test|playwright|cypress|electron-builder|tauri build|docker)\b|--watch\b|\bwatch\b/.test(
      text,
    )
  )
    return undefined;
  if (judged) return judged;
  const silent = name
    .split(/[:._-]/)
    .filter(Boolean)
    .every((part) => !NEVER_NAME.test(part));
  return silent ? byText?.(text) : undefined;
}

export function recursiveNames(program: string, args: readonly string[]): Judged | undefined {
  const plain = args.filter((w) => !w.startsWith('-'));
  let names: string[] = [];
  if (program === 'turbo') names = plain[0] === 'run' ? plain.slice(1) : plain;
  else if (program === 'lerna') names = plain[0] === 'run' ? plain.slice(1, 2) : [];
  else {
    const at = args.findIndex((w) => w === '-t' || w === '--target' || w === '--targets');
    const inline = args.find((w) => /^--targets?=/.test(w));
    if (inline) names = inline.split('=')[1]!.split(',');
    else if (at >= 0 && args[at + 1]) names = args[at + 1]!.split(',');
    else if (plain[0] === 'run') names = [plain[1]?.split(':').at(-1) ?? ''];
    else if (plain[0] && plain[0] !== 'run-many' && plain[0] !== 'affected') names = [plain[0]];
  }
  const judged = names.filter(Boolean).map((n) => byName(n));
  return judged.length > 0 && judged.every(Boolean) ? judged[0] : undefined;
}

export function taskRunner(program: string, words: readonly string[]): Judged | undefined {
  const withValue = new Set([
    '-C',
    '-f',
    '--directory',
    '--file',
    '--makefile',
    '-j',
    '--jobs',
    '-d',
    '--justfile',
    '--working-directory',
    '-e',
    '-s',
    '--session',
    '--sessions',
    '-k',
  ]);
  const targets: string[] = [];
  const values: string[] = [];
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    if (withValue.has(word)) {
      values.push(words[++i] ?? '');
      continue;
    }
    if (word.startsWith('-') || word.includes('=')) continue;
    targets.push(word);
  }
  // tox -e lint, nox -s tests: the environment or session names.
  if (program === 'tox' || program === 'nox') {
    const envs = values.flatMap((v) => v.split(','));
    return envs.length === 0 || envs.every((e) => byName(e) || /^py\d*$/.test(e)) ? { kind: 'test' } : undefined;
  }
  if (program === 'melos') return targets[0] === 'run' ? byName(targets[1]) : byName(targets[0]);
  const kept = targets.filter((t) => t !== 'clean');
  if (kept.length === 0)
    return targets.length === 0 && (program === 'make' || program === 'gmake')
      ? { kind: 'build' }
      : program === 'rake' && targets.length === 0
        ? { kind: 'test' }
        : undefined;
  // A task file's `coverage` target runs the test suite under coverage (more-itertools' CI: `make coverage`).
  const judged = kept.map((t) =>
    (program === 'rake' && t === 'default') || (/^(g?make|just)$/.test(program) && t === 'coverage')
      ? { kind: 'test' as const }
      : byName(t),
  );
  if (!judged.every(Boolean)) return undefined;
  return {
    kind: judged[0]!.kind,
    ...(kept.length !== targets.length ? { words: words.filter((w, i) => i === 0 || w !== 'clean') } : {}),
  };
}

const GRADLE_WITH_VALUE = new Set([
  '-x',
  '--exclude-task',
  '--tests',
  '-p',
  '--project-dir',
  '-c',
  '--settings-file',
  '-I',
  '--init-script',
  '-b',
  '--build-file',
  '--console',
  '--warning-mode',
  '-pl',
  '--projects',
  '-f',
  '--file',
  '-s',
  '--settings',
  '-P',
  '-am',
  '--also-make',
  '--activate-profiles',
  '-rf',
  '--resume-from',
  '-T',
  '--threads',
]);
const JVM_CHECK_TASK =
  /^(test\w*|check|build|assemble(Debug)?|classes|testClasses|compile\w*|lint\w*|detekt\w*|ktlintCheck|spotlessCheck|checkstyle\w*|pmd\w*|spotbugs\w*|koverVerify|jacocoTestCoverageVerification|verify|validate|package|connectedCheck|apiCheck|[\w.-]+:(check|verify|test)(@[\w-]+)?)$/;
/** Maven goals that only build documentation or reports beside the check (`mvn verify javadoc:jar`): left out of it, as `clean` is. */
const JVM_LOCAL_GOAL = /^(javadoc|source|jacoco|site|surefire-report|dependency|help):[\w-]+(@[\w-]+)?$/;

/** Indexes of a Gradle or Maven command's task words (not flags, not their values). */
export function jvmTaskIndexes(words: readonly string[]): number[] {
  const tasks: number[] = [];
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    if (GRADLE_WITH_VALUE.has(word) && word !== '-am' && word !== '--also-make') i++;
    else if (!word.startsWith('-')) tasks.push(i);
  }
  return tasks;
}

export function jvmTasks(words: readonly string[]): Judged | undefined {
  const tasks = jvmTaskIndexes(words).map((at) => ({ task: words[at]!, at }));
  const kept = tasks.filter((t) => t.task.split(':').at(-1) !== 'clean' && !JVM_LOCAL_GOAL.test(t.task));
  if (kept.length === 0) return undefined;
  if (!kept.every((t) => JVM_CHECK_TASK.test(t.task.startsWith(':') ? t.task.split(':').at(-1)! : t.task)))
    return undefined;
  const names = kept.map((t) => t.task.split(':').at(-1)!);
  const kind: CheckKind = names.some((n) => /^test|^check$|^verify$|connectedCheck/.test(n))
    ? 'test'
    : names.some((n) => /lint|detekt|ktlint|spotless|checkstyle|pmd|spotbugs/i.test(n))
      ? 'lint'
      : 'build';
  if (kept.length === tasks.length) return { kind };
  const dropped = new Set(tasks.filter((t) => !kept.includes(t)).map((t) => t.at));
  return { kind, words: words.filter((_, i) => !dropped.has(i)) };
}

export function mixTasks(args: readonly string[]): Judged | undefined {
  const tasks =
    args[0] === 'do'
      ? args
          .slice(1)
          .join(' ')
          .split(/\s*(?:\+|,)\s*/)
          .map((t) => t.trim().split(/\s+/)[0]!)
      : [args.find((a) => !a.startsWith('-')) ?? ''];
  const kinds: Record<string, CheckKind> = {
    test: 'test',
    compile: 'build',
    credo: 'lint',
    dialyzer: 'typecheck',
    format: 'lint',
    xref: 'lint',
    sobelow: 'lint',
  };
  if (tasks.includes('format') && !args.includes('--check-formatted')) return undefined;
  if (!tasks.every((t) => kinds[t])) return undefined;
  return { kind: kinds[tasks.includes('test') ? 'test' : tasks[0]!]! };
}
