/**
 * Verification runs one invocation per tool, not one per module: the commands that differ only
 * by the module they select (`cargo check -p a`, `cargo check -p b`; `mvn -q -B -pl a -am compile`;
 * `./gradlew :a:test`, `./gradlew :b:test`) run once as `cargo check -p a -p b`, `mvn -q -B -pl a,b
 * -am compile`, `./gradlew :a:test :b:test`. Each start of cargo, Maven or Gradle costs seconds
 * (a JVM, a lock on the build folder), so a 19-crate workspace or a Maven multi-module build
 * verified module by module spent most of its time starting tools. When the joint run fails,
 * its members run one by one, so each failure stays with its own command. Runs of one build
 * tool in one folder go one after another (lanesOf), the other commands side by side.
 */
import { workspaceScripts } from '../../project/commands';

export interface Batch {
  /** What runs: the members joined, or the one member. */
  command: string;
  /** The proposed commands it answers for, in their order. */
  members: string[];
}

interface Selected {
  /** The command without its module selector: commands with the same key join. */
  key: string;
  /** The module selector's value (`a`, `:a:test`). */
  selector: string;
  join: (selectors: readonly string[]) => string;
}

/** The commands grouped: every group of two or more joined, the rest alone, in the order they came. */
export function batchCommands(commands: readonly string[]): Batch[] {
  const groups = new Map<string, { join: Selected['join']; selectors: string[]; batch: Batch }>();
  const batches: Batch[] = [];
  for (const command of commands) {
    const selected = selectorOf(command);
    const group = selected && groups.get(selected.key);
    if (selected && group) {
      group.batch.members.push(command);
      group.selectors.push(selected.selector);
      group.batch.command = group.join(group.selectors);
      continue;
    }
    const batch = { command, members: [command] };
    batches.push(batch);
    if (selected) groups.set(selected.key, { join: selected.join, selectors: [selected.selector], batch });
  }
  return batches;
}

/** A command, run from its build's root (`cd rust && …`), that selects one module: Cargo's `-p`, Maven's `-pl`, Gradle's qualified tasks. */
function selectorOf(command: string): Selected | undefined {
  const cd = /^(cd [\w./@+-]+ && )?(.*)$/.exec(command)!;
  const selected = toolSelector(cd[2]!);
  return selected && cd[1]
    ? { key: `${cd[1]}${selected.key}`, selector: selected.selector, join: (all) => `${cd[1]}${selected.join(all)}` }
    : selected;
}

function toolSelector(command: string): Selected | undefined {
  if (!/^[\w./:,=@+-]+( [\w./:,=@+-]+)*$/.test(command)) return undefined;
  const words = command.split(' ');
  const program = words[0]!.split('/').at(-1)!;
  if (program === 'cargo' && ['check', 'clippy', 'test', 'build'].includes(words[1] ?? '')) {
    const at = words.indexOf('-p');
    const end = words.includes('--') ? words.indexOf('--') : words.length;
    if (at < 0 || at + 1 >= end || words.indexOf('-p', at + 1) >= 0) return undefined;
    const rest = words.filter((_, i) => i !== at && i !== at + 1);
    return {
      key: `cargo ${rest.join(' ')}`,
      selector: words[at + 1]!,
      join: (names) => [...rest.slice(0, 2), ...names.flatMap((n) => ['-p', n]), ...rest.slice(2)].join(' '),
    };
  }
  if (program === 'mvn' || program === 'mvnw') {
    const at = words.indexOf('-pl');
    // Only with `-am`: joined, a module would find its siblings in the reactor, which alone it may not.
    if (
      at < 0 ||
      words[at + 1] === undefined ||
      words[at + 1]!.includes(',') ||
      !(words.includes('-am') || words.includes('--also-make'))
    )
      return undefined;
    const key = words.map((w, i) => (i === at + 1 ? '*' : w)).join(' ');
    return {
      key,
      selector: words[at + 1]!,
      join: (dirs) => words.map((w, i) => (i === at + 1 ? dirs.join(',') : w)).join(' '),
    };
  }
  if (program === 'gradlew' || program === 'gradle') {
    const tasks = words.slice(1).filter((w) => !w.startsWith('-'));
    if (tasks.length !== 1 || !tasks[0]!.startsWith(':')) return undefined;
    const flags = words.slice(1).filter((w) => w.startsWith('-'));
    if (
      flags.some((f) =>
        /^-(x|p|b|c|I|P|D)$|^--(exclude-task|tests|project-dir|build-file|settings-file|init-script)$/.test(f),
      )
    )
      return undefined;
    return {
      key: `${words[0]} ${flags.join(' ')}`,
      selector: tasks[0]!,
      join: (all) => [words[0]!, ...all, ...flags].join(' '),
    };
  }
  return undefined;
}

/** Tools whose runs in one folder share one build (its lock, output folders, a daemon): side by side they collide. */
const ONE_BUILD: Record<string, string> = {
  cargo: 'cargo',
  mvn: 'maven',
  mvnw: 'maven',
  gradle: 'gradle',
  gradlew: 'gradle',
  dotnet: 'dotnet',
  bazel: 'bazel',
  bazelisk: 'bazel',
  pants: 'pants',
};

/** A package manager running one of the project's scripts: `npm test`, `npm run test`, `pnpm run build:esm`, `yarn lint`. */
const SCRIPT_RUN = /^(?:cd ([\w./@+-]+) && )?(?:npm|pnpm|yarn|bun)(?: run(?:-script)?)? ([\w:.-]+)/;
const NOT_SCRIPTS = new Set(['install', 'ci', 'exec', 'dlx', 'x', 'add', 'i']);

/**
 * Whether running a script in a folder builds the project into its output folders (its own text, or its
 * `pre` script as npm runs it before): the caller reads the folder's package.json.
 */
export type BuildsOf = (folder: string, script: string) => boolean;

/** A build a script runs: a `build` script, `scripts/build.sh`, tsc, a bundler. */
const BUILDS = /(^|[\s:/])build(:[\w-]+)?(\.sh)?(\s|$)|\b(tsc|rollup|webpack|esbuild|tsup)\b/;

/** BuildsOf read from the package.json files under a work tree. */
export function packageBuilds(cwd: string): BuildsOf {
  const scripts = workspaceScripts(cwd);
  return (folder, script) => {
    const own = scripts(folder === '.' ? 'package.json' : `${folder}/package.json`);
    return [own?.[`pre${script}`], own?.[script]].some((text) => typeof text === 'string' && BUILDS.test(text));
  };
}

/**
 * The batches in lanes that may run side by side: one build tool's runs in one folder form one lane, run one after
 * another (two Maven or Gradle runs at once in one tree write the same `target/`, cargo waits on its lock anyway),
 * and so do a folder's package scripts that each run its build first (uuid's `npm test` and CI's `npm run test`, both
 * building into one `dist/` through `pretest`, failed `mv: … Not a directory` side by side); every other batch is a
 * lane of its own. Lanes keep the order the batches came in.
 */
export function lanesOf(batches: readonly Batch[], buildsOf?: BuildsOf): Batch[][] {
  const lanes: Batch[][] = [];
  const byBuild = new Map<string, Batch[]>();
  for (const batch of batches) {
    const key = buildKey(batch.command, buildsOf);
    const lane = key === undefined ? undefined : byBuild.get(key);
    if (lane) {
      lane.push(batch);
      continue;
    }
    lanes.push([batch]);
    if (key !== undefined) byBuild.set(key, lanes.at(-1)!);
  }
  return lanes;
}

function buildKey(command: string, buildsOf: BuildsOf | undefined): string | undefined {
  const cd = /^(?:cd ([\w./@+-]+) && )?(\S+)/.exec(command);
  const tool = ONE_BUILD[cd?.[2]?.split('/').at(-1) ?? ''];
  if (tool !== undefined) return `${cd?.[1] ?? '.'} ${tool}`;
  const script = SCRIPT_RUN.exec(command);
  if (!script || !buildsOf || NOT_SCRIPTS.has(script[2]!)) return undefined;
  const folder = script[1] ?? '.';
  const name = script[2] === 't' ? 'test' : script[2]!;
  return buildsOf(folder, name) ? `${folder} package build` : undefined;
}
