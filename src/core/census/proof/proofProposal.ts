/**
 * Proof per criterion, as `init` proposes it: for each layer whose test runner the census knows
 * (proofRunners.ts), a folder its own test command already runs (proofFolders.ts) and the command
 * that runs given files there (proofCommands.ts); for the others, one line saying why not.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { proofCommand } from './proofCommands';
import { proofPlace, type ProofPlace } from './proofFolders';
import { findRunner, type RunnerContext, type RunnerFound } from './proofRunners';
import type { Ecosystem, ProofPlacement, Project, ProposedLayer, ProposedProof } from '../types';

export interface ProofInput {
  layer: ProposedLayer;
  /** The projects whose commands validate the layer (its unit's). */
  projects: Project[];
}

export async function proposeProof(
  workspace: string,
  inputs: readonly ProofInput[],
  ctx: RunnerContext,
): Promise<ProposedProof> {
  const proof: ProposedProof = { units: [], without: [] };
  const found = await Promise.all(
    inputs.map(async ({ layer, projects }) => ({
      layer,
      runner: await fromProjectVenv(workspace, findRunner(projects, layer.validate, ctx)),
      projects,
    })),
  );
  // Each place reads a config or two (their heads): side by side.
  const places = await Promise.all(
    found.map(({ runner }) =>
      runner && !fsharp(runner) ? proofPlace(workspace, runner, ctx.files, ctx.manager(runner.cwd)) : undefined,
    ),
  );
  found.forEach(({ layer, runner, projects }, i) => {
    const place = places[i];
    if (!runner) proof.without.push({ layer: layer.name, reason: whyNone(projects) });
    // An F# project compiles only the files it lists: a test file dropped into a folder is never built.
    else if (!place)
      proof.without.push({
        layer: layer.name,
        reason: `${runner.project.manifest} is F#, which builds only the files it lists: a new test file would not run`,
      });
    // Two layers from one project (its `api/` and `ui/` folders) share its runner and folder: one entry.
    else if (!proof.units.some((u) => u.tests === place.tests)) {
      const placement = (at: ProofPlace): ProofPlacement => ({
        tests: at.tests,
        command: siblingsFirst(proofCommand(runner, at), runner, ctx),
        language: at.language,
        probe: posix.join(at.folder, at.probe),
        ...(at.onlyFiles ? { onlyFiles: at.onlyFiles } : {}),
      });
      const { tests, command, language, probe, ...only } = placement(place);
      proof.units.push({
        layer: layer.name,
        runner: runner.name,
        tests,
        command,
        origin: runner.origin,
        language,
        probe,
        ...only,
        ...(place.alternatives?.length ? { alternatives: place.alternatives.map(placement) } : {}),
      });
    }
  });
  return proof;
}

/** The sibling packages the runner's package imports built first, from its folder, after the command's `cd` (which `{files}` are relative to). */
function siblingsFirst(command: string, runner: RunnerFound, ctx: RunnerContext): string {
  const siblings = ctx.siblings?.(runner.project) ?? [];
  if (siblings.length === 0) return command;
  const builds = siblings
    .map((p) => `(cd ${posix.relative(runner.cwd, p.dir) || '.'} && ${ctx.manager(p.dir)} run build)`)
    .join(' && ');
  const cd = /^cd \S+ && /.exec(command)?.[0] ?? '';
  return `${cd}${builds} && ${command.slice(cd.length)}`;
}

/**
 * pytest, or the python running unittest, from the project's own virtualenv (`.venv/bin/pytest`, `venv/bin/pytest`)
 * when it has one: its dependencies are installed there, not for the machine's `pytest` on PATH.
 */
async function fromProjectVenv(workspace: string, runner: RunnerFound | undefined): Promise<RunnerFound | undefined> {
  const program = runner?.words[0];
  if (!runner || !['pytest', 'unittest'].includes(runner.name) || !/^(pytest|python3?)$/.test(program ?? ''))
    return runner;
  for (const venv of ['.venv', 'venv']) {
    const path = `${venv}/bin/${program}`;
    if (
      await access(join(workspace, runner.cwd, path), constants.X_OK).then(
        () => true,
        () => false,
      )
    )
      return { ...runner, words: [path, ...runner.words.slice(1)] };
  }
  return runner;
}

function fsharp(runner: RunnerFound): boolean {
  return runner.name === 'dotnet' && runner.project.manifest.endsWith('.fsproj');
}

const NO_RUNNER: Partial<Record<Ecosystem, string>> = {
  node: 'no test script runs a test runner (node --test, Vitest, Jest, AVA, Mocha, tap, Jasmine, uvu, or another that is given a file), and neither vitest nor jest is a dependency',
  python:
    'pytest is neither a dependency nor configured (pytest.ini, conftest.py, [tool.pytest.ini_options]), and no test module imports unittest',
  dotnet: 'no test project (a *.Tests.csproj referencing a test framework) goes with it',
  maven: 'it has no src/test/',
  gradle: 'it has no src/test/',
  php: 'phpunit or pest is not a dependency',
  ruby: 'rspec is not in its Gemfile (Minitest is not a proof runner yet)',
  elixir: 'mix test is not a proof runner yet',
  dart: 'dart test and flutter test are not proof runners yet',
  swift: 'swift test and xcodebuild are not proof runners yet',
};

function whyNone(projects: readonly Project[]): string {
  const project = projects.find((p) => !p.tests) ?? projects[0];
  if (!project) return 'no project manifest: the census knows no test runner for its files';
  return NO_RUNNER[project.ecosystem] ?? `no test runner is known for ${project.ecosystem}`;
}
