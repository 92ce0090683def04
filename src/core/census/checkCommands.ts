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
import { byName, isPlaceholder, jvmTasks, mixTasks, NEVER_NAME, packageScript, recursiveNames, taskRunner, type CheckKind, type Judged, type ScriptText } from './runnerChecks';
import { scriptCommands } from './shellScript';

export { isPlaceholder, jvmTaskIndexes, type CheckKind, type ScriptText } from './runnerChecks';

export interface CheckCommand {
  command: string;
  kind: CheckKind;
}


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

/**
 * A command's parts as a runner sees them: its leading assignments, the wrappers before the checked
 * program (`uv run`, `python -m`, `bundle exec`) and the program with its arguments
 * (`NODE_ENV=test uv run pytest -q` → [NODE_ENV=test], [uv, run], [pytest, -q]); undefined when
 * nothing is left past the wrappers.
 */
export function invocationOf(command: string): { assignments: string[]; wrapper: string[]; program: string[] } | undefined {
  const words = commandWords(command);
  const assignments: string[] = [];
  while (words.length > 0 && /^[A-Za-z_]\w*=/.test(words[0]!)) assignments.push(words.shift()!);
  const start = words.length > 0 ? unwrap(words) : undefined;
  return start === undefined ? undefined : { assignments, wrapper: words.slice(0, start), program: words.slice(start) };
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

/** mise's own commands (tools, settings, shells): none runs a task. */
const MISE_COMMANDS = /^(install|i|use|u|exec|x|ls|list|trust|settings|set|env|which|where|upgrade|up|self-update|doctor|activate|deactivate|tasks|plugins|plugin|cache|prune|config|watch|w|outdated|latest|registry|search|sync|generate|implode|link|unuse|version|reshim|shell|uninstall|bin-paths|completion|direnv|fmt|mcp|test-tool|tool)$/;

/** `mise run [//DIR:]TASK`, `mise r TASK` or `mise TASK`: the task judged by its name. */
function miseTask(args: readonly string[]): Judged | undefined {
  const plain = args.filter((w) => !w.startsWith('-'));
  const task = plain[0] === 'run' || plain[0] === 'r' ? plain[1] : MISE_COMMANDS.test(plain[0] ?? '') ? undefined : plain[0];
  return byName(task?.replace(/^\/\/[^:]*:/, ''));
}

/** The folder and task of a monorepo task (`mise run //swift/apple:check` → `swift/apple`, `mise run check`). */
export function miseTaskFolder(command: string): { cwd: string; command: string } | undefined {
  const m = /^mise\s+(run|r)\s+(.*?)\/\/([\w./-]*):(\S+)(.*)$/.exec(command.trim());
  return m ? { cwd: m[3]!.replace(/\/$/, ''), command: `mise ${m[1]} ${m[2]}${m[4]}${m[5]}`.replace(/\s+/g, ' ').trim() } : undefined;
}

/** `go test` flags whose value is the next word (`-run TestX`, `-count 1`), not a package. */
const GO_VALUE_FLAGS = new Set(['-run', '-skip', '-count', '-timeout', '-tags', '-coverprofile', '-covermode', '-coverpkg', '-p', '-parallel', '-bench', '-benchtime', '-cpu', '-exec', '-o', '-ldflags', '-gcflags', '-mod', '-shuffle', '-outputdir', '-memprofile', '-cpuprofile', '-blockprofile', '-trace']);

/** True when a go command's arguments name a package (`./...`, `.`, `./cmd/api`, `example.com/x/...`). */
function goPackages(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (word === '--' || word === '-args') return false;
    if (word.startsWith('-')) {
      if (GO_VALUE_FLAGS.has(word.replace(/^--/, '-'))) i++;
      continue;
    }
    return true;
  }
  return false;
}

function programName(word: string): string {
  return word.split('/').at(-1)!.replace(/\.(exe|cmd|bat)$/i, '');
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
  // mise runs tasks (`mise run check`, `mise run //swift/apple:test`) besides installing tools: a task is judged by its name.
  if (program === 'mise') return miseTask(args);
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
      if (!sub || !kinds[sub]) return undefined;
      // `go test` with no package checks the module's root package alone: every package is what CI means.
      return goPackages(args.slice(args.indexOf(sub) + 1)) ? { kind: kinds[sub] } : { kind: kinds[sub], words: [...words, './...'] };
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

