/** The census's findings: what a repository is made of, and the layers proposed from it. */

export type Ecosystem =
  | 'node'
  | 'rust'
  | 'go'
  | 'python'
  | 'dotnet'
  | 'maven'
  | 'gradle'
  | 'php'
  | 'ruby'
  | 'dart'
  | 'elixir'
  | 'swift'
  | 'haskell'
  | 'zig'
  | 'julia'
  | 'r'
  | 'ocaml'
  | 'clojure'
  | 'scala'
  | 'cmake'
  | 'meson'
  | 'bazel';
export type Role = 'database' | 'backend' | 'frontend' | 'mobile' | 'infra';

/** Where a proposed value came from, for the YAML comment beside it (`.github/workflows/ci.yml`). */
export type Origin = string;

/** One buildable unit: a folder with a manifest (package.json, go.mod, *.csproj…). */
export interface Project {
  /** Workspace-relative posix folder; '' for the repository root. */
  dir: string;
  ecosystem: Ecosystem;
  /** The package/crate/module/project name when the manifest gives one, else the folder's name. */
  name: string;
  /** Workspace-relative path of the manifest that defines it. */
  manifest: string;
  frameworks: string[];
  /** package.json scripts (of the manifest in this folder). */
  scripts: Record<string, string>;
  /** composer.json scripts. */
  composerScripts?: Record<string, string>;
  /** Role from its frameworks and folder, when clear. */
  role?: Role;
  /** A project that only holds tests (a .NET test project, tests/fixtures/…). */
  tests?: boolean;
  /**
   * The test commands a tool CI names runs for it, read from that tool's own file (tox.ini's `commands`, a Makefile
   * recipe): where CI says only `tox -e py312`, the runner and its folder are read from them.
   */
  testCommands?: { command: string; origin: Origin }[];
  /**
   * The checks its build file declares for it, from the repository's root (a cabal `test-suite`, a `build.zig` `test`
   * step, a deps.edn `:test` alias, a dune package's folder): what the census proposes when CI names none.
   */
  buildChecks?: string[];
  /** Its folder is a Bazel workspace: `cd <dir> && bazel test //...` (bazelWorkspaces.ts). */
  bazelCheck?: string;
  /** What its manifest depends on by name (packages, crates, `ProjectReference`s, Gradle `project(":x")` paths): the layer order reads it. */
  dependencies?: string[];
}

/** A command the repository itself runs (a CI step, a task file, Mustard's config). */
export interface RepoCommand {
  command: string;
  /** Workspace-relative folder it runs in ('' = root). */
  cwd: string;
  origin: Origin;
  /** A task file target's recipe lines (what `make test` runs). */
  runs?: string[];
  /** The folder a root task checks, when its recipe acts in one (`deno task lint:tools` running `deno lint tools/`). */
  checks?: string;
  /** An end-to-end task (`deno task e2e:staging`): the check only of a folder nothing else checks. */
  lastResort?: boolean;
}

export interface ProposedCommand {
  /** As written into the config: runs from the workspace root. */
  command: string;
  origin: Origin;
  /** What it checks; when a layer has more commands than it keeps, builds go first. */
  kind?: 'lint' | 'typecheck' | 'test' | 'build';
}

/** What a command lacked on this machine (census/verify/verifyClassify.ts): it failed for that, not for the code. */
export interface VerifyCause {
  needs: 'network' | 'browser' | 'service' | 'package' | 'install';
  what: string;
}

export type VerifyOutcome =
  /** `rerun`: a test command that failed once and passed when run again (its first run's error lines): flaky, kept as a gate. */
  | { status: 'passed'; ms: number; rerun?: string[] }
  /** `twice`: a test command run once more after failing, which failed again. */
  | {
      status: 'failed';
      ms: number;
      firstLines: string[];
      cause?: VerifyCause;
      fix?: string;
      twice?: true;
      /** The tests the runner named failing (its report read as a proof's is), when it names them. */
      failing?: string[];
    }
  | { status: 'missing-tool'; tool: string }
  | { status: 'timed-out'; ms: number; lastLines?: string[]; cause?: VerifyCause; fix?: string }
  /** `outOfTime`: verification's time budget ended before it was verified (verifyBudget.ts): never a gate. */
  | { status: 'skipped'; reason: string; outOfTime?: true };

export interface ProposedLayer {
  name: string;
  role?: Role;
  /** Folders this layer is about (for the context file and the table). */
  dirs: string[];
  owns: string[];
  validate: ProposedCommand[];
  after: string[];
  /** Why the layer exists (`package.json`, `.claude/grain.model.json`, `prisma/`…). */
  origin: Origin;
  stack: string[];
  frameworks: string[];
  /** Conventions found (the package manager, test layout, tool configs). */
  conventions: string[];
  /** Why each `after` entry is there (`imports @acme/ui`, `calls http://localhost:8080`). */
  afterReasons?: Record<string, string>;
  /** Filled by verification: one per validate command, same order. */
  verified?: VerifyOutcome[];
  /** A layer the census found no check for: what it read for it and what it could not read or use (checkRemainder.ts). */
  remainder?: CheckRemainder;
}

/** Something the census could not read or use, and why (`MODULE.bazel`: Bazel, a build tool it does not read). */
export interface Unread {
  what: string;
  why: string;
}

/** What `init` says of a layer with no check, in the config and first in every host (docs/census.md, "An honest remainder"). */
export interface CheckRemainder {
  /** What it read for the layer: its manifests, the CI files it reads with their jobs, task files. */
  read: string[];
  /** What it could not read or use: a build tool's files, a CI kind, a matrix value, a command it dropped. */
  unread: Unread[];
}

/**
 * The test runners `init` proposes a proof command for (docs/census.md, "Proof per criterion");
 * `script`: a test script whose runner has no reader, run once per file (`npm test -- <file>`) and
 * read by its exit code.
 */
export type ProofRunnerName =
  | 'node'
  | 'vitest'
  | 'jest'
  | 'ava'
  | 'mocha'
  | 'tap'
  | 'jasmine'
  | 'uvu'
  | 'script'
  | 'pytest'
  | 'unittest'
  | 'go'
  | 'cargo'
  | 'dotnet'
  | 'maven'
  | 'gradle'
  | 'phpunit'
  | 'pest'
  | 'rspec';

/** A layer's proof: where its proof tests go and the command that runs given ones. */
export interface ProofUnit {
  layer: string;
  runner: ProofRunnerName;
  /** Workspace-relative glob, inside a folder the project's own test command already runs (beside its tests when it names single files: `onlyFiles`). */
  tests: string;
  /** Runs the files `{files}` stands for (relative to the folder a leading `cd <dir> &&` enters). */
  command: string;
  /** Where the runner was found (`package.json (scripts.test)`, `.github/workflows/ci.yml`). */
  origin: string;
  /**
   * What a test of this unit is written in: the extension of its tests (`ts`, `mjs`, `py`, `java`, `kt`, `cs`…), where a
   * runner hosts several the framework (`junit5`, `junit4`, `xunit`, `nunit`, `mstest`), and the test libraries the
   * project's own tests import (`mocha`, `chai`): the probe imports them as a proof test would, so a lint rule on them
   * (devDependencies only in test folders) judges the folder. `package`: Go's, of the folder the probe is written in
   * (proof tests are files of the package they test).
   */
  language: { extension: string; framework?: string; imports?: string[]; package?: string };
  /** The probe file verification writes (inside `tests`) and runs the command on. */
  probe: string;
  /** The project's own test command names only these files: the proof folder is beside them, run by the proof command alone. */
  onlyFiles?: string[];
  /** The next places for the proof tests, likeliest first: tried when the project's lint or build fails with the probe in this one. */
  alternatives?: ProofPlacement[];
  /** Filled by verification (verifyProof.ts): the command run on a probe. */
  verified?: VerifyOutcome;
  /** Filled by verification (proofFolderGates.ts): the layer's lint and build gates run with the probe in the folder. */
  gates?: ProofGateCheck;
}

/** Where a unit's proof tests go and what runs them: one place of several tried. */
export type ProofPlacement = Pick<ProofUnit, 'tests' | 'command' | 'probe' | 'language' | 'onlyFiles'>;

export interface ProofGateCheck {
  /** The gates that passed with the probe in the folder kept. */
  passed: string[];
  /** Folders left out: a gate that passes on the repository failed with the probe there. */
  rejected: { tests: string; gate: string; firstLines: string[] }[];
  /** A lint gate failing with the probe in every folder tried: the folder is kept (the probe's words, not the folder, fail it). */
  failing?: { gate: string; firstLines: string[] };
}

export interface ProposedProof {
  units: ProofUnit[];
  /** Layers that get no proof command, each with the one line saying why. */
  without: { layer: string; reason: string }[];
}

export interface Census {
  layers: ProposedLayer[];
  schema: { glob: string; origin: Origin }[];
  /** Source files no layer owns (workspace-relative; capped in length by the caller). */
  unowned: string[];
  sourceFiles: number;
  ownedFiles: number;
  /** Files the walk saw (all kinds). */
  files: number;
  projects: Project[];
  /** Commands from files the census could read but not fully use, placeholders, unknown shapes. */
  warnings: string[];
  /** Proof per criterion: a runner per layer whose tests the census knows (absent in a census taken before it existed). */
  proof?: ProposedProof;
  ms: number;
}

/** A layer of the census as the user accepted it in Initialize Workspace: renamed, its owns and commands edited (a dropped layer is absent). */
export interface AcceptedLayer {
  /** The census's name of the layer (it may have been renamed). */
  from: string;
  name: string;
  owns: string[];
  validate: string[];
}

/** What other readers add to the census: Mustard's commands and projects (census/mustardInputs.ts). */
export interface CensusInputs {
  /** Repository-wide commands (mustard.json), tried after CI's. */
  commands?: RepoCommand[];
  /** Project folders known from elsewhere (grain.model.json `projects`). */
  projects?: { dir: string; name: string; kind?: string; frameworks: string[]; origin: string }[];
  warnings?: string[];
}
