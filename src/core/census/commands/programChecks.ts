/**
 * What a program is asked to do, judged by the program and its subcommand past its wrappers
 * (checkCommands.ts unwraps the line): a test, lint, type check or build, or no check at all.
 */
import {
  byName,
  jvmTasks,
  mixTasks,
  NEVER_NAME,
  packageScript,
  recursiveNames,
  taskRunner,
  type CheckKind,
  type Judged,
  type ScriptText,
  type TextJudge,
} from './runnerChecks';
import { EXTRA_TOOL_PROGRAMS, extraToolCheck } from './extraToolChecks';
import { mesonCheck } from './mesonChecks';
import { nixCheck } from './nixCommands';
import { BUILD_TOOL_PROGRAMS, buildToolCheck } from './toolChecks';

/** Programs that never judge the code: they print, move files, install, ship, or talk to a server. */
const NEVER = new Set(
  `
    echo printf true false : exit export set unset source . cd pushd popd mkdir cp mv rm cat ls chmod chown touch
    tee sleep test [ [[ ln find grep sed awk xargs tar zip unzip gzip ssh scp rsync sudo su git gh hub docker
    docker-compose podman buildah kubectl kind minikube terraform pulumi cdk serverless sls ansible
    ansible-playbook aws gcloud gsutil az firebase vercel netlify wrangler flyctl heroku fastlane xcrun codesign
    signtool makensis iscc candle light apt apt-get yum dnf apk brew choco scoop winget pip pip3 pipx conda mamba
    sdk rustup nvm fnm volta corepack asdf mise curl wget http httpie newman postman wait-on wait-for-it
    start-server-and-test k6 locust artillery ab hey vegeta jmeter twine goreleaser semantic-release changeset
    vsce ovsx electron-builder electron-packager pyinstaller cpack jpackage codecov coveralls playwright cypress
    protoc buf-generate sqlc openapi-generator openapi-generator-cli graphql-codegen mockgen wire swag prisma
  `
    .trim()
    .split(/\s+/),
);

/** mise's own commands (tools, settings, shells): none runs a task. */
const MISE_COMMANDS =
  /^(install|i|use|u|exec|x|ls|list|trust|settings|set|env|which|where|upgrade|up|self-update|doctor|activate|deactivate|tasks|plugins|plugin|cache|prune|config|watch|w|outdated|latest|registry|search|sync|generate|implode|link|unuse|version|reshim|shell|uninstall|bin-paths|completion|direnv|fmt|mcp|test-tool|tool)$/;

/** `mise run [//DIR:]TASK`, `mise r TASK` or `mise TASK`: the task judged by its name. */
function miseTask(args: readonly string[]): Judged | undefined {
  const plain = args.filter((w) => !w.startsWith('-'));
  const task =
    plain[0] === 'run' || plain[0] === 'r' ? plain[1] : MISE_COMMANDS.test(plain[0] ?? '') ? undefined : plain[0];
  return byName(task?.replace(/^\/\/[^:]*:/, ''));
}

/** `go test` flags whose value is the next word (`-run TestX`, `-count 1`), not a package. */
const GO_VALUE_FLAGS = new Set(
  `
    -run -skip -count -timeout -tags -coverprofile -covermode -coverpkg -p -parallel -bench -benchtime -cpu -exec
    -o -ldflags -gcflags -mod -shuffle -outputdir -memprofile -cpuprofile -blockprofile -trace
  `
    .trim()
    .split(/\s+/),
);

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

export function programName(word: string): string {
  return word
    .split('/')
    .at(-1)!
    .replace(/\.(exe|cmd|bat)$/i, '');
}

export function judge(
  words: readonly string[],
  scriptText: ScriptText | undefined,
  byText?: TextJudge,
): Judged | undefined {
  const first = words[0]!;
  const program = programName(first);
  const args = words.slice(1);
  const plain = args.filter((w) => !w.startsWith('-'));
  const sub = plain[0];
  const has = (...flags: string[]) => args.some((a) => flags.includes(a) || flags.some((f) => a.startsWith(`${f}=`)));
  // A script of the repository's own (`./scripts/test`, `scripts/lint.sh`): its name says what it does.
  if (
    first.includes('/') &&
    ![
      'gradlew',
      'mvnw',
      'phpunit',
      'pest',
      'rspec',
      'rubocop',
      'rails',
      'rake',
      'bundle',
      'phpstan',
      'psalm',
      'phpcs',
      'eslint',
      'tsc',
      'jest',
      'vitest',
      'pytest',
      'console',
      'rebar3',
      'mill',
    ].includes(program)
  ) {
    if (/\.(ps1|bat|cmd|exe)$/i.test(first)) return undefined;
    return byName(program.replace(/\.(sh|bash|py|js|mjs|ts|rb|pl)$/, ''));
  }
  // mise runs tasks (`mise run check`, `mise run //swift/apple:test`) besides installing tools: a task is judged by its name.
  if (program === 'mise') return miseTask(args);
  if (NEVER.has(program)) return undefined;
  if (BUILD_TOOL_PROGRAMS.has(program)) return buildToolCheck(program, args);
  if (EXTRA_TOOL_PROGRAMS.has(program)) return extraToolCheck(program, args);
  switch (program) {
    case 'npm':
    case 'pnpm':
    case 'yarn':
    case 'bun':
      return packageScript(program, args, scriptText, byText);
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
      const kinds: Record<string, CheckKind> = {
        check: 'typecheck',
        clippy: 'lint',
        test: 'test',
        nextest: 'test',
        build: 'build',
        doc: 'build',
        deny: 'lint',
        audit: 'lint',
        machete: 'lint',
        udeps: 'lint',
        hack: 'typecheck',
      };
      return command !== undefined && kinds[command] ? { kind: kinds[command] } : undefined;
    }
    case 'go': {
      const kinds: Record<string, CheckKind> = { vet: 'lint', test: 'test', build: 'build' };
      if (!sub || !kinds[sub]) return undefined;
      // `go test` with no package checks the module's root package alone: every package is what CI means.
      return goPackages(args.slice(args.indexOf(sub) + 1))
        ? { kind: kinds[sub] }
        : { kind: kinds[sub], words: [...words, './...'] };
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
      if (plain[0] && /(^|\/)(phpunit|pest|phpstan|psalm|phpcs)$/.test(plain[0]))
        return judge(plain, scriptText, byText);
      return undefined;
    case 'composer':
      if (sub === 'validate') return { kind: 'lint' };
      return byName(sub === 'run-script' || sub === 'run' ? plain[1] : sub);
    case 'python':
    case 'python3':
    case 'py':
      if (plain[0] && /manage\.py$/.test(plain[0]) && (plain[1] === 'test' || plain[1] === 'check'))
        return { kind: 'test' };
      return plain[0]?.endsWith('.py') ? byName(programName(plain[0]).slice(0, -3)) : undefined;
    case 'node':
      return plain[0] && /\.[cm]?[jt]s$/.test(plain[0])
        ? byName(programName(plain[0]).replace(/\.[cm]?[jt]s$/, ''))
        : undefined;
    case 'rails':
      return sub === 'test' || sub === 'spec' ? { kind: 'test' } : undefined;
    case 'swift':
      return sub === 'test' ? { kind: 'test' } : sub === 'build' ? { kind: 'build' } : undefined;
    case 'xcodebuild':
      return args.some((a) => /^(archive|-exportArchive|install)$/.test(a))
        ? undefined
        : args.includes('test')
          ? { kind: 'test' }
          : { kind: 'build' };
    case 'cmake':
      // A configure into a build folder (`cmake -S . -B build`) reads every CMakeLists.txt: the first part of CMake's check.
      return has('--build') || has('-B') || args.some((a) => /^-B./.test(a)) ? { kind: 'build' } : undefined;
    case 'nix':
    case 'nix-build':
    case 'devenv':
      return nixCheck(program, args);
    case 'bazel':
    case 'bazelisk':
      return sub === 'test' ? { kind: 'test' } : sub === 'build' ? { kind: 'build' } : undefined;
    case 'black':
    case 'isort':
    case 'prettier':
    case 'php-cs-fixer':
    case 'ktlint':
      return has('--check', '--check-only', '--list-different', '-l', '--dry-run', '--diff') ||
        (program === 'ktlint' && !has('-F', '--format'))
        ? { kind: 'lint' }
        : undefined;
    case 'ruff':
      return sub === 'format' && !has('--check') ? undefined : { kind: 'lint' };
    case 'biome':
      return sub === 'check' || sub === 'lint' || sub === 'ci' || (sub === 'format' && !has('--write'))
        ? { kind: 'lint' }
        : undefined;
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
      return { kind: 'test' };
    case 'meson':
      return mesonCheck(args);
    case 'ninja':
      return { kind: 'build' };
  }
  if (
    ['pytest', 'py.test', 'unittest', 'rspec', 'phpunit', 'pest', 'behave', 'nose2', 'cucumber', 'xcpretty'].includes(
      program,
    )
  )
    return { kind: 'test' };
  if (['mypy', 'pyright', 'basedpyright', 'pytype', 'dmypy', 'sorbet', 'dialyzer'].includes(program))
    return { kind: 'typecheck' };
  if (
    [
      'flake8',
      'pylint',
      'bandit',
      'pydocstyle',
      'pycodestyle',
      'vulture',
      'eslint',
      'oxlint',
      'stylelint',
      'rubocop',
      'standardrb',
      'reek',
      'brakeman',
      'phpstan',
      'psalm',
      'phpcs',
      'phpmd',
      'shellcheck',
      'hadolint',
      'actionlint',
      'markdownlint',
      'markdownlint-cli2',
      'yamllint',
      'swiftlint',
      'detekt',
      'checkstyle',
      'pmd',
      'spotbugs',
      'clang-tidy',
      'cppcheck',
      'knip',
      'depcheck',
      'publint',
      'credo',
      'codespell',
      'typos',
    ].includes(program)
  )
    return { kind: 'lint' };
  // An unknown program asked to test or lint (`ginkgo test`, `hurl test`): the subcommand says it.
  if (sub && /^(test|lint|check|vet|typecheck|analy[sz]e)$/.test(sub) && !args.some((a) => NEVER_NAME.test(a)))
    return byName(sub);
  return undefined;
}
