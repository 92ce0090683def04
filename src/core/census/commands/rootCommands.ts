/**
 * Root commands that cover a nested project its CI does not scope (`make test`, `tox`,
 * `./scripts/test`), and CI's task runner run in a folder above a project: each run as it is by
 * the layers it covers (scopeCommand.ts narrows the others).
 */
import { checkedProgram, commandWords } from './checkCommands';
import { recursiveScripts } from './packageCommands';
import { buildTargets } from './buildTargets';
import { isIn, pathArguments, PYTHON_TOOLS } from './scopeCommand';
import type { ProposedCommand, Project, RepoCommand } from '../types';

/**
 * A command about other folders (`pytest .github/scripts/test_x.py`, `jest --config apps/web/jest.config.js`):
 * it checks paths, or reads a config from a folder, and none of them is in `folder`.
 */
function checksElsewhere(command: string, folder: string): boolean {
  const tool = checkedProgram(command);
  if (tool === undefined) return false;
  const paths = pathArguments(commandWords(command), tool);
  const telling = paths.filter((p) => !p.option || p.path.includes('/'));
  return telling.length > 0 && !paths.some((p) => isIn(p.path, folder) || folder.startsWith(`${p.path}/`));
}

/** Linters of prose, YAML, workflows and Dockerfiles: they check no project's code. */
const NON_CODE_TOOLS = new Set([
  'markdownlint',
  'markdownlint-cli',
  'markdownlint-cli2',
  'remark',
  'vale',
  'yamllint',
  'actionlint',
  'hadolint',
  'codespell',
  'typos',
  'lychee',
  'markdown-link-check',
  'commitlint',
  'editorconfig-checker',
  'ls-lint',
  'cspell',
  'alex',
  'write-good',
]);

/** Flags that pick packages or projects out of a workspace. */
const CARGO_SELECTORS = new Set(['-p', '--package', '--manifest-path', '--bin', '--example']);
const SELECTORS = new Set(['--filter', '-F', '-pl', '--projects', '--project', '--selectProjects']);

function ecosystemsOf(tool: string): Project['ecosystem'][] {
  if (PYTHON_TOOLS.has(tool) || ['uv', 'poetry', 'tox', 'nox', 'python', 'python3'].includes(tool)) return ['python'];
  if (['npm', 'pnpm', 'yarn', 'bun', 'npx', 'tsc', 'eslint', 'jest', 'vitest'].includes(tool)) return ['node'];
  return TOOL_ECOSYSTEMS[tool] ?? [];
}

/** Which ecosystem's projects a root command can cover; undefined for any (make, just, a script). */
const TOOL_ECOSYSTEMS: Record<string, Project['ecosystem'][]> = {
  cargo: ['rust'],
  go: ['go'],
  dotnet: ['dotnet'],
  gradle: ['gradle'],
  gradlew: ['gradle'],
  mvn: ['maven'],
  mvnw: ['maven'],
  mix: ['elixir'],
  flutter: ['dart'],
  dart: ['dart'],
  swift: ['swift'],
  xcodebuild: ['swift'],
  rspec: ['ruby'],
  rake: ['ruby'],
  rubocop: ['ruby'],
  composer: ['php'],
  phpunit: ['php'],
  pest: ['php'],
  php: ['php'],
  phpstan: ['php'],
  psalm: ['php'],
  'php-cs-fixer': ['php'],
  phpcs: ['php'],
  rector: ['php'],
  pint: ['php'],
  'symfony-console': ['php'],
  artisan: ['php'],
  rails: ['ruby'],
  bundle: ['ruby'],
  brakeman: ['ruby'],
  standardrb: ['ruby'],
  cabal: ['haskell'],
  stack: ['haskell'],
  zig: ['zig'],
  julia: ['julia'],
  R: ['r'],
  Rscript: ['r'],
  dune: ['ocaml'],
  clojure: ['clojure'],
  clj: ['clojure'],
  lein: ['clojure'],
  bb: ['clojure'],
  sbt: ['scala'],
  cmake: ['cmake'],
  ctest: ['cmake'],
  meson: ['meson'],
};

/**
 * Root commands that check a nested project its CI does not scope (`make test`, `tox`, `./scripts/test`,
 * `cargo test` of a crate outside the workspace list): run as they are, from the root, by each layer
 * they cover. A recursive runner (turbo, nx, `pnpm -r`) covers only the packages that have its script,
 * so it never comes here.
 */
export function rootCommandsCovering(
  project: Project,
  checks: readonly (RepoCommand & { kind?: ProposedCommand['kind'] })[],
  tasks: readonly RepoCommand[],
  known: boolean,
  cargoMembers: ReadonlySet<string>,
): ProposedCommand[] {
  if (project.dir === '' || project.tests) return [];
  const found: ProposedCommand[] = [];
  for (const repo of checks) {
    if (repo.cwd !== '' || /^cd\s/.test(repo.command)) continue;
    const words = commandWords(repo.command);
    const tool = checkedProgram(repo.command) ?? '';
    // A command about other folders' paths, or prose and config linters (`markdownlint`), covers none of this one.
    if (checksElsewhere(repo.command, project.dir) || NON_CODE_TOOLS.has(tool)) continue;
    // A crate kept out of the workspace (`exclude = ["apps/translate"]`) is built by no root cargo command.
    if (tool === 'cargo' && !cargoMembers.has(project.dir)) continue;
    // One already scoped to other packages (`cargo test -p core -p sync`, `--filter web`) checks those, not this one.
    const selectors = tool === 'cargo' ? CARGO_SELECTORS : SELECTORS;
    if (words.some((w, i) => i > 0 && (selectors.has(w.replace(/=.*$/, '')) || (tool === 'cargo' && /^-p\w/.test(w)))))
      continue;
    // sbt tasks CI qualified with projects (`sbt plugin/test`) and folder targets (dune's, Bazel's `//a/...`, Pants' `a::`) are those projects' checks.
    if (tool === 'sbt' && words.some((w, i) => i > 0 && w.includes('/'))) continue;
    if (buildTargets(words).some((t) => t.folder !== '')) continue;
    // Gradle tasks CI qualified with modules (`:backend:test`, `:app:androidApp:assembleDebug`) are those modules' checks.
    if (/gradlew?$/.test(words[0] ?? '') && words.some((w, i) => i > 0 && /^:[\w-]+:/.test(w))) continue;
    if (
      recursiveScripts(words) !== undefined ||
      ['npm', 'pnpm', 'yarn', 'bun', 'turbo', 'nx', 'lerna', 'deno'].includes(tool)
    )
      continue;
    // A task file's target covers what its recipe runs (`make test` → `cargo test --workspace` covers crates).
    const recipe = tasks.find((t) => t.cwd === '' && t.command === repo.command)?.runs ?? [];
    const ecosystems = new Set(
      (recipe.length > 0 ? recipe : [repo.command]).flatMap((line) => ecosystemsOf(checkedProgram(line) ?? '')),
    );
    if (ecosystems.size > 0 ? !ecosystems.has(project.ecosystem) : known) continue;
    if (!found.some((f) => f.command === repo.command))
      found.push({
        command: repo.command,
        origin: `${repo.origin} (run from the root: it covers ${project.dir}/)`,
        ...(repo.kind ? { kind: repo.kind } : {}),
      });
  }
  return found;
}

/** Task runners whose tasks act on the folder they run in, whatever the projects inside it. */
const FOLDER_TASK_RUNNERS = new Set(['mise', 'make', 'gmake', 'just', 'task']);

/** CI's task runner run in a folder above the project (`cd swift/apple && mise run check`): it checks what that folder holds. */
export function folderTasksCovering(
  project: Project,
  checks: readonly (RepoCommand & { kind?: ProposedCommand['kind'] })[],
): ProposedCommand[] {
  const above = checks.filter(
    (c) =>
      c.cwd !== '' && project.dir.startsWith(`${c.cwd}/`) && FOLDER_TASK_RUNNERS.has(checkedProgram(c.command) ?? ''),
  );
  return above.map((c) => ({
    command: `cd ${c.cwd} && ${c.command}`,
    origin: `${c.origin} (run in ${c.cwd}/: it covers ${project.dir}/)`,
    ...(c.kind ? { kind: c.kind } : {}),
  }));
}
