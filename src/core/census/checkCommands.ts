/**
 * Which of a repository's commands check its code — a test, lint, type check, analysis or a
 * build run as a check — and in what form a validate command keeps it. The program is judged
 * past its wrappers (`uv run`, `poetry run`, `pipenv run`, `bundle exec`, `npx`, `python -m`),
 * by what it is and what it is asked to do, never by a word somewhere in the line: an install,
 * a code generator, a deploy, a release or package build (`tauri build`, `flutter build
 * windows`, `uvx twine check dist/*`), a browser install and anything that needs a running
 * server (newman, curl to localhost, wait-on) is no check. `clean` is dropped from a task list
 * (`./gradlew clean test` → `./gradlew test`).
 */
import { parse, quote } from 'shell-quote';
import { scriptCommands } from './shellScript';

/** The kind of check a command is, best first when a layer has more commands than it keeps. */
export type CheckKind = 'lint' | 'typecheck' | 'test' | 'build';

export interface CheckCommand {
  command: string;
  kind: CheckKind;
}

/** A package script's text by name, when the census knows it (a check script that runs newman is none). */
export type ScriptText = (name: string) => string | undefined;

/** Programs that never judge the code: they print, move files, install, ship, or talk to a server. */
const NEVER = new Set([
  'echo', 'printf', 'true', 'false', ':', 'exit', 'export', 'set', 'unset', 'source', '.', 'cd', 'pushd', 'popd', 'mkdir', 'cp', 'mv', 'rm', 'cat', 'ls', 'chmod', 'chown',
  'touch', 'tee', 'sleep', 'test', '[', '[[', 'ln', 'find', 'grep', 'sed', 'awk', 'xargs', 'tar', 'zip', 'unzip', 'gzip', 'ssh', 'scp', 'rsync', 'sudo', 'su',
  'git', 'gh', 'hub', 'docker', 'docker-compose', 'podman', 'buildah', 'kubectl', 'kind', 'minikube', 'terraform', 'pulumi', 'cdk', 'serverless', 'sls', 'ansible', 'ansible-playbook',
  'aws', 'gcloud', 'gsutil', 'az', 'firebase', 'vercel', 'netlify', 'wrangler', 'flyctl', 'heroku', 'fastlane', 'xcrun', 'codesign', 'signtool', 'makensis', 'iscc', 'candle', 'light',
  'apt', 'apt-get', 'yum', 'dnf', 'apk', 'brew', 'choco', 'scoop', 'winget', 'pip', 'pip3', 'pipx', 'conda', 'mamba', 'sdk', 'rustup', 'nvm', 'fnm', 'volta', 'corepack', 'asdf', 'mise',
  'curl', 'wget', 'http', 'httpie', 'newman', 'postman', 'wait-on', 'wait-for-it', 'start-server-and-test', 'k6', 'locust', 'artillery', 'ab', 'hey', 'vegeta', 'jmeter',
  'twine', 'goreleaser', 'semantic-release', 'changeset', 'vsce', 'ovsx', 'electron-builder', 'electron-packager', 'pyinstaller', 'cpack', 'jpackage', 'codecov', 'coveralls',
  'playwright', 'cypress', 'protoc', 'buf-generate', 'sqlc', 'openapi-generator', 'openapi-generator-cli', 'graphql-codegen', 'mockgen', 'wire', 'swag', 'prisma',
]);
/** Script, task and target names (and their parts) that never check: setup, ship, serve, generate, browser tests. */
const NEVER_NAME = /^(install|setup|bootstrap|prepare|postinstall|preinstall|clean|deploy|release|publish|package|pack|dist|bundle|installer|msi|nsis|dmg|appimage|deb|rpm|docker|image|push|upload|start|serve|server|dev|watch|preview|generate|gen|codegen|build_runner|e2e|cypress|playwright|postman|newman|api-test|load|loadtest|k6|storybook|electron|tauri|windows|win|macos|mac|linux|android|ios|apk|appbundle|ipa|web-release|docs|doc|coverage-upload|version|changelog|format|fmt|fix|migrate|seed)$/i;
/** Script, task and target names whose parts say they check. */
const CHECK_NAME = /^(test|tests|unit|spec|specs|lint|linter|lints|eslint|stylelint|check|checks|typecheck|type-check|types|tsc|mypy|pyright|ruff|vet|clippy|analy[sz]e|analysis|static|verify|validate|ci|build|compile|qa|quality)$/i;
/** Parts that turn a fix or format into a check. */
const CHECK_SUFFIX = /^(check|ci|verify|lint)$/i;

const WRAPPER_FLAGS_WITH_VALUE: Record<string, Set<string>> = {
  uv: new Set(['--package', '--with', '--with-requirements', '--extra', '--group', '--python', '-p', '--directory', '--project', '--env-file', '--index', '--only-group']),
  npx: new Set(['-p', '--package', '-c', '--call']),
  conda: new Set(['-n', '--name', '-p', '--prefix']),
  timeout: new Set(['-s', '--signal', '-k', '--kill-after']),
};

/** The words of a command (variables kept as `$NAME`), stopping at its first operator or redirection. */
export function commandWords(command: string): string[] {
  let entries: ReturnType<typeof parse>;
  try {
    entries = parse(command.replace(/\$\{\{[^}]*\}\}/g, '$__CI_EXPRESSION'), (name) => `$${name}`);
  } catch {
    return [];
  }
  const words: string[] = [];
  for (const entry of entries) {
    if (typeof entry === 'string') words.push(entry);
    else if ('op' in entry && entry.op === 'glob') words.push(entry.pattern);
    else break;
  }
  return words;
}

export function isPlaceholder(command: string): boolean {
  const trimmed = command.trim();
  return trimmed === '' || /<[^>]+>/.test(trimmed) || /^(echo|true|:|exit 0|printf)\b/.test(trimmed) || /no test specified/i.test(trimmed) || /^(TODO|FIXME)/i.test(trimmed);
}

/** The check a command line makes, in the form to keep, or undefined when it checks nothing. */
export function checkCommand(command: string, scriptText?: ScriptText): CheckCommand | undefined {
  if (isPlaceholder(command)) return undefined;
  const words = commandWords(command);
  const assignments: string[] = [];
  while (words.length > 0 && /^[A-Za-z_]\w*=/.test(words[0]!)) assignments.push(words.shift()!);
  if (words.length === 0 || words[0]!.startsWith('$')) return undefined;
  if (words.some((w) => /^(https?:\/\/|localhost\b|127\.0\.0\.1|0\.0\.0\.0)|:\/\/(localhost|127\.0\.0\.1)/.test(w))) return undefined;
  const start = unwrap(words);
  if (start === undefined) return undefined;
  const judged = judge(words.slice(start), scriptText);
  if (!judged) return undefined;
  // A value CI computes (`${{ secrets.X }}`, `$HOME/x`) cannot be known here: that assignment goes.
  const kept = assignments.filter((a) => !a.includes('$'));
  const rest = judged.words ? [...words.slice(0, start), ...judged.words] : undefined;
  if (kept.length === assignments.length && !rest) return { command: command.trim(), kind: judged.kind };
  const body = rest ? quote(rest) : command.trim().slice(command.trim().indexOf(words[0]!));
  return { command: [...kept.map(quoteAssignment), body].join(' '), kind: judged.kind };
}

/**
 * A whole command line (a task file's or Mustard's may chain several) as a validate command:
 * each part a check in the form to keep, `cd` parts kept; undefined when any part checks nothing.
 */
export function normalizeCheck(command: string, scriptText?: ScriptText): CheckCommand | undefined {
  const parts = scriptCommands(command);
  const kept: string[] = [];
  let kind: CheckKind | undefined;
  for (const { text } of parts) {
    if (/^cd\s+\S+$/.test(text)) {
      kept.push(text);
      continue;
    }
    const check = checkCommand(text, scriptText);
    if (!check) return undefined;
    kind ??= check.kind;
    kept.push(check.command);
  }
  return kind ? { command: kept.join(' && '), kind } : undefined;
}

/** The program a command runs past `cd`, env assignments and wrappers (`uv run pytest` → `pytest`). */
export function checkedProgram(command: string): string | undefined {
  const words = commandWords(command.replace(/^cd\s+\S+\s*&&\s*/, ''));
  while (words.length > 0 && /^[A-Za-z_]\w*=/.test(words[0]!)) words.shift();
  const start = words.length > 0 ? unwrap(words) : undefined;
  return start === undefined ? undefined : programName(words[start]!);
}

function quoteAssignment(assignment: string): string {
  const at = assignment.indexOf('=');
  return `${assignment.slice(0, at + 1)}${quote([assignment.slice(at + 1)])}`;
}

/** Where the checked program starts past its wrappers, or undefined when the wrapper itself is no check (`uv sync`). */
function unwrap(words: readonly string[]): number | undefined {
  let i = 0;
  for (let guard = 0; guard < 8 && i < words.length; guard++) {
    const program = programName(words[i]!);
    const next = words[i + 1];
    const skipFlags = (from: number, withValue = new Set<string>()) => {
      let j = from;
      while (j < words.length && words[j]!.startsWith('-')) j += withValue.has(words[j]!) ? 2 : 1;
      return j;
    };
    if (program === 'uv' && next === 'run') i = skipFlags(i + 2, WRAPPER_FLAGS_WITH_VALUE.uv);
    else if (program === 'uv' && next === 'tool' && words[i + 2] === 'run') i = skipFlags(i + 3, WRAPPER_FLAGS_WITH_VALUE.uv);
    else if (program === 'uvx' || program === 'pipx' && next === 'run') i = skipFlags(program === 'uvx' ? i + 1 : i + 2, WRAPPER_FLAGS_WITH_VALUE.uv);
    else if (['poetry', 'pipenv', 'pdm', 'rye', 'hatch'].includes(program) && next === 'run') i = skipFlags(i + 2);
    else if (program === 'conda' && next === 'run') i = skipFlags(i + 2, WRAPPER_FLAGS_WITH_VALUE.conda);
    else if (program === 'bundle' && next === 'exec') i = skipFlags(i + 2);
    else if (program === 'npx' || program === 'bunx' || program === 'pnpx') i = skipFlags(i + 1, WRAPPER_FLAGS_WITH_VALUE.npx);
    else if ((program === 'pnpm' || program === 'yarn' || program === 'npm') && (next === 'exec' || next === 'dlx')) i = skipFlags(i + 2, WRAPPER_FLAGS_WITH_VALUE.npx);
    else if (/^python[\d.]*$|^py$/.test(program) && next === '-m') i += 2;
    else if (program === 'coverage' && next === 'run') i = words[i + 2] === '-m' ? i + 3 : skipFlags(i + 2);
    else if (program === 'xvfb-run' || program === 'time' || program === 'nice' || program === 'env') {
      i = skipFlags(i + 1);
      while (program === 'env' && i < words.length && words[i]!.includes('=')) i++;
    } else if (program === 'timeout') i = skipFlags(i + 1, WRAPPER_FLAGS_WITH_VALUE.timeout) + 1;
    else if (program === 'dotnet' && next === 'tool' && words[i + 2] === 'run') i += 3;
    else if ((program === 'bash' || program === 'sh' || program === 'zsh') && next !== undefined && !next.startsWith('-')) i += 1;
    else break;
    if (words[i] === '--') i++;
  }
  return i < words.length ? i : undefined;
}

function programName(word: string): string {
  return word.split('/').at(-1)!.replace(/\.(exe|cmd|bat)$/i, '');
}

interface Judged {
  kind: CheckKind;
  /** The checked program's words when they changed (`clean` dropped). */
  words?: string[];
}

function judge(words: readonly string[], scriptText: ScriptText | undefined): Judged | undefined {
  const first = words[0]!;
  const program = programName(first);
  const args = words.slice(1);
  const plain = args.filter((w) => !w.startsWith('-'));
  const sub = plain[0];
  const has = (...flags: string[]) => args.some((a) => flags.includes(a) || flags.some((f) => a.startsWith(`${f}=`)));
  // A script of the repository's own (`./scripts/test`, `scripts/lint.sh`): its name says what it does.
  if (first.includes('/') && !['gradlew', 'mvnw', 'phpunit', 'pest', 'rspec', 'rubocop', 'rails', 'rake', 'bundle', 'phpstan', 'psalm', 'phpcs', 'eslint', 'tsc', 'jest', 'vitest', 'pytest', 'console'].includes(program)) {
    if (/\.(ps1|bat|cmd|exe)$/i.test(first)) return undefined;
    return byName(program.replace(/\.(sh|bash|py|js|mjs|ts|rb|pl)$/, ''));
  }
  if (NEVER.has(program)) return undefined;
  switch (program) {
    case 'npm':
    case 'pnpm':
    case 'yarn':
    case 'bun':
      return packageScript(program, args, scriptText);
    case 'deno':
      if (sub === 'task') return byName(plain[1]);
      if (sub === 'test') return { kind: 'test' };
      if (sub === 'lint') return { kind: 'lint' };
      if (sub === 'check') return { kind: 'typecheck' };
      if (sub === 'fmt' && has('--check')) return { kind: 'lint' };
      return undefined;
    case 'turbo':
    case 'lerna':
    case 'nx':
      return recursiveNames(program, args);
    case 'make':
    case 'gmake':
    case 'just':
    case 'task':
    case 'mage':
    case 'rake':
    case 'invoke':
    case 'nox':
    case 'tox':
    case 'melos':
      return taskRunner(program, words);
    case 'gradle':
    case 'gradlew':
    case 'mvn':
    case 'mvnw':
      return jvmTasks(words);
    case 'cargo': {
      const at = args.findIndex((a) => !a.startsWith('-') && !a.startsWith('+'));
      const command = args[at];
      if (command === 'fmt') return has('--check') ? { kind: 'lint' } : undefined;
      const kinds: Record<string, CheckKind> = { check: 'typecheck', clippy: 'lint', test: 'test', nextest: 'test', build: 'build', doc: 'build', deny: 'lint', audit: 'lint', machete: 'lint', udeps: 'lint', hack: 'typecheck' };
      return command !== undefined && kinds[command] ? { kind: kinds[command] } : undefined;
    }
    case 'go': {
      const kinds: Record<string, CheckKind> = { vet: 'lint', test: 'test', build: 'build' };
      return sub && kinds[sub] ? { kind: kinds[sub] } : undefined;
    }
    case 'golangci-lint':
    case 'staticcheck':
    case 'revive':
    case 'gosec':
      return { kind: 'lint' };
    case 'gofmt':
      return has('-l', '-d') ? { kind: 'lint' } : undefined;
    case 'dotnet':
      if (sub === 'build' || sub === 'msbuild') return { kind: 'build' };
      if (sub === 'test' || sub === 'vstest') return { kind: 'test' };
      if (sub === 'format') return has('--verify-no-changes') ? { kind: 'lint' } : undefined;
      return undefined;
    case 'msbuild':
      return has('/t:Publish', '-t:Publish', '/t:Pack', '-t:Pack') ? undefined : { kind: 'build' };
    case 'flutter':
    case 'dart':
      if (sub === 'analyze') return { kind: 'lint' };
      if (sub === 'test') return { kind: 'test' };
      if (sub === 'format') return has('--set-exit-if-changed', '--output=none') ? { kind: 'lint' } : undefined;
      return undefined;
    case 'very_good':
      return sub === 'test' ? { kind: 'test' } : undefined;
    case 'mix':
      return mixTasks(args);
    case 'php':
      if (plain[0] === 'artisan' && plain[1] === 'test') return { kind: 'test' };
      if (plain[0] && /(^|\/)(phpunit|pest|phpstan|psalm|phpcs)$/.test(plain[0])) return judge(plain, scriptText);
      return undefined;
    case 'composer':
      if (sub === 'validate') return { kind: 'lint' };
      return byName(sub === 'run-script' || sub === 'run' ? plain[1] : sub);
    case 'python':
    case 'python3':
    case 'py':
      if (plain[0] && /manage\.py$/.test(plain[0]) && (plain[1] === 'test' || plain[1] === 'check')) return { kind: 'test' };
      return plain[0]?.endsWith('.py') ? byName(programName(plain[0]).slice(0, -3)) : undefined;
    case 'node':
      return plain[0] && /\.[cm]?[jt]s$/.test(plain[0]) ? byName(programName(plain[0]).replace(/\.[cm]?[jt]s$/, '')) : undefined;
    case 'rails':
      return sub === 'test' || sub === 'spec' ? { kind: 'test' } : undefined;
    case 'swift':
      return sub === 'test' ? { kind: 'test' } : sub === 'build' ? { kind: 'build' } : undefined;
    case 'xcodebuild':
      return args.some((a) => /^(archive|-exportArchive|install)$/.test(a)) ? undefined : args.includes('test') ? { kind: 'test' } : { kind: 'build' };
    case 'cmake':
      return has('--build') ? { kind: 'build' } : undefined;
    case 'bazel':
    case 'bazelisk':
      return sub === 'test' ? { kind: 'test' } : sub === 'build' ? { kind: 'build' } : undefined;
    case 'sbt':
    case 'lein':
    case 'stack':
    case 'cabal':
      return plain.every((t) => /^(test|compile|build|check|scalafmtCheck|scalafmtCheckAll|scalastyle)$/.test(t)) && plain.length > 0 ? { kind: plain.includes('test') ? 'test' : 'build' } : undefined;
    case 'black':
    case 'isort':
    case 'prettier':
    case 'php-cs-fixer':
    case 'ktlint':
      return has('--check', '--check-only', '--list-different', '-l', '--dry-run', '--diff') || (program === 'ktlint' && !has('-F', '--format')) ? { kind: 'lint' } : undefined;
    case 'ruff':
      return sub === 'format' && !has('--check') ? undefined : { kind: 'lint' };
    case 'biome':
      return sub === 'check' || sub === 'lint' || sub === 'ci' || (sub === 'format' && !has('--write')) ? { kind: 'lint' } : undefined;
    case 'next':
      return sub === 'lint' ? { kind: 'lint' } : sub === 'build' ? { kind: 'build' } : undefined;
    case 'vite':
    case 'astro':
    case 'nuxt':
    case 'nuxi':
    case 'ng':
    case 'svelte-kit':
      if (sub === 'check' || sub === 'typecheck') return { kind: 'typecheck' };
      if (sub === 'lint') return { kind: 'lint' };
      if (sub === 'test' && !has('--watch')) return { kind: 'test' };
      return sub === 'build' ? { kind: 'build' } : undefined;
    case 'vitest':
      return sub === 'watch' || sub === 'dev' || has('--watch', '-w') || sub === 'bench' ? undefined : { kind: 'test' };
    case 'jest':
    case 'mocha':
    case 'ava':
    case 'tap':
    case 'karma':
      return has('--watch', '--watchAll', '-w') ? undefined : { kind: 'test' };
    case 'tsc':
    case 'vue-tsc':
    case 'svelte-check':
      return has('--watch', '-w') ? undefined : { kind: 'typecheck' };
    case 'webpack':
    case 'rollup':
    case 'tsup':
    case 'esbuild':
    case 'parcel':
      return sub === 'serve' || sub === 'watch' || has('--watch', '-w', '--serve') ? undefined : { kind: 'build' };
    case 'pre-commit':
    case 'prek':
      return sub === 'run' ? { kind: 'lint' } : undefined;
    case 'helm':
    case 'buf':
      return sub === 'lint' ? { kind: 'lint' } : undefined;
    case 'srb':
      return sub === 'tc' ? { kind: 'typecheck' } : undefined;
    case 'ctest':
    case 'meson':
      return program === 'meson' && sub !== 'test' ? undefined : { kind: 'test' };
    case 'ninja':
      return { kind: 'build' };
  }
  if (['pytest', 'py.test', 'unittest', 'rspec', 'phpunit', 'pest', 'behave', 'nose2', 'cucumber', 'xcpretty'].includes(program)) return { kind: 'test' };
  if (['mypy', 'pyright', 'basedpyright', 'pytype', 'dmypy', 'sorbet', 'dialyzer'].includes(program)) return { kind: 'typecheck' };
  if (['flake8', 'pylint', 'bandit', 'pydocstyle', 'pycodestyle', 'vulture', 'eslint', 'oxlint', 'stylelint', 'rubocop', 'standardrb', 'reek', 'brakeman', 'phpstan', 'psalm', 'phpcs', 'phpmd', 'shellcheck', 'hadolint', 'actionlint', 'markdownlint', 'markdownlint-cli2', 'yamllint', 'swiftlint', 'detekt', 'checkstyle', 'pmd', 'spotbugs', 'clang-tidy', 'cppcheck', 'knip', 'depcheck', 'publint', 'credo', 'codespell', 'typos'].includes(program)) return { kind: 'lint' };
  // An unknown program asked to test or lint (`zig build test`, `ginkgo`-less tools): the subcommand says it.
  if (sub && /^(test|lint|check|vet|typecheck|analy[sz]e)$/.test(sub) && !args.some((a) => NEVER_NAME.test(a))) return byName(sub);
  return undefined;
}

/** A script, task or target name judged by its parts: `test:unit` and `lint-js` check; `build:windows`, `test:e2e` and `generate` do not. */
export function byName(name: string | undefined): Judged | undefined {
  if (!name) return undefined;
  const parts = name.split(/[:._-]/).filter(Boolean);
  if (parts.length === 0 || parts.some((p) => NEVER_NAME.test(p) && !(CHECK_SUFFIX.test(parts.at(-1)!) && /^(format|fmt|fix)$/i.test(p)))) return undefined;
  if (!parts.some((p) => CHECK_NAME.test(p) || CHECK_SUFFIX.test(p))) return undefined;
  const lower = name.toLowerCase();
  const kind: CheckKind = /test|spec|unit/.test(lower) ? 'test' : /type|tsc|mypy|pyright|check$|^check/.test(lower) && !/lint/.test(lower) ? 'typecheck' : /build|compile/.test(lower) ? 'build' : 'lint';
  return { kind };
}

/** What npm, pnpm, yarn and bun do themselves rather than run a script. */
const PACKAGE_MANAGER_COMMANDS = /^(install|i|add|remove|rm|uninstall|update|up|upgrade|link|unlink|prune|dedupe|audit|outdated|publish|pack|version|config|cache|init|create|login|logout|whoami|set|why|list|ls|info|view|rebuild|import|patch|fetch|store|env|setup|global)$/;

function packageScript(program: string, args: readonly string[], scriptText: ScriptText | undefined): Judged | undefined {
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
  if (first === undefined || PACKAGE_MANAGER_COMMANDS.test(first) || (first === 'ci' && program === 'npm')) return undefined;
  if (first === 'turbo' || first === 'nx' || first === 'lerna') return recursiveNames(first, args.slice(args.indexOf(first) + 1));
  if (first === 'test' || first === 't' || (program === 'bun' && first === 'test')) return scriptBody('test', scriptText) ?? undefined;
  const name = first === 'run' || first === 'run-script' ? second : first;
  if (first === 'exec' || first === 'dlx' || first === 'x') return undefined;
  return scriptBody(name, scriptText);
}

/** A script judged by its name, and by its text when known: `"test:api": "newman run …"` is none. */
function scriptBody(name: string | undefined, scriptText: ScriptText | undefined): Judged | undefined {
  const judged = name === 'test' ? { kind: 'test' as const } : byName(name);
  if (!judged || !name) return judged;
  const text = scriptText?.(name);
  if (text === undefined) return judged;
  if (isPlaceholder(text) || /(^|\s|&&|;)\s*(newman|wait-on|start-server-and-test|playwright|cypress|electron-builder|tauri build|docker)\b|--watch\b|\bwatch\b/.test(text)) return undefined;
  return judged;
}

function recursiveNames(program: string, args: readonly string[]): Judged | undefined {
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

function taskRunner(program: string, words: readonly string[]): Judged | undefined {
  const withValue = new Set(['-C', '-f', '--directory', '--file', '--makefile', '-j', '--jobs', '-d', '--justfile', '--working-directory', '-e', '-s', '--session', '--sessions', '-k']);
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
  if (kept.length === 0) return targets.length === 0 && (program === 'make' || program === 'gmake') ? { kind: 'build' } : program === 'rake' && targets.length === 0 ? { kind: 'test' } : undefined;
  const judged = kept.map((t) => (program === 'rake' && t === 'default' ? { kind: 'test' as const } : byName(t)));
  if (!judged.every(Boolean)) return undefined;
  return { kind: judged[0]!.kind, ...(kept.length !== targets.length ? { words: words.filter((w, i) => i === 0 || w !== 'clean') } : {}) };
}

const GRADLE_WITH_VALUE = new Set(['-x', '--exclude-task', '--tests', '-p', '--project-dir', '-c', '--settings-file', '-I', '--init-script', '-b', '--build-file', '--console', '--warning-mode', '-pl', '--projects', '-f', '--file', '-s', '--settings', '-P', '-am', '--also-make']);
const JVM_CHECK_TASK = /^(test\w*|check|build|assemble(Debug)?|classes|testClasses|compile\w*|lint\w*|detekt\w*|ktlintCheck|spotlessCheck|checkstyle\w*|pmd\w*|spotbugs\w*|koverVerify|jacocoTestCoverageVerification|verify|validate|package|connectedCheck|apiCheck|\w+:(check|verify|test))$/;

function jvmTasks(words: readonly string[]): Judged | undefined {
  const tasks: { task: string; at: number }[] = [];
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    if (GRADLE_WITH_VALUE.has(word) && word !== '-am' && word !== '--also-make') i++;
    else if (!word.startsWith('-')) tasks.push({ task: word, at: i });
  }
  const kept = tasks.filter((t) => t.task.split(':').at(-1) !== 'clean');
  if (kept.length === 0) return undefined;
  if (!kept.every((t) => JVM_CHECK_TASK.test(t.task.startsWith(':') ? t.task.split(':').at(-1)! : t.task))) return undefined;
  const names = kept.map((t) => t.task.split(':').at(-1)!);
  const kind: CheckKind = names.some((n) => /^test|^check$|^verify$|connectedCheck/.test(n)) ? 'test' : names.some((n) => /lint|detekt|ktlint|spotless|checkstyle|pmd|spotbugs/i.test(n)) ? 'lint' : 'build';
  if (kept.length === tasks.length) return { kind };
  const dropped = new Set(tasks.filter((t) => !kept.includes(t)).map((t) => t.at));
  return { kind, words: words.filter((_, i) => !dropped.has(i)) };
}

function mixTasks(args: readonly string[]): Judged | undefined {
  const tasks = args[0] === 'do' ? args.slice(1).join(' ').split(/\s*(?:\+|,)\s*/).map((t) => t.trim().split(/\s+/)[0]!) : [args.find((a) => !a.startsWith('-')) ?? ''];
  const kinds: Record<string, CheckKind> = { test: 'test', compile: 'build', credo: 'lint', dialyzer: 'typecheck', 'format': 'lint', 'xref': 'lint', sobelow: 'lint' };
  if (tasks.includes('format') && !args.includes('--check-formatted')) return undefined;
  if (!tasks.every((t) => kinds[t])) return undefined;
  return { kind: kinds[tasks.includes('test') ? 'test' : tasks[0]!]! };
}
