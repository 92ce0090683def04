/**
 * Proof per criterion, as `init` proposes it: for each layer whose test runner the census knows
 * (proofRunners.ts), a folder its own test command already runs (proofFolders.ts) and the command
 * that runs given files there (proofCommands.ts); for the others, one line saying why not.
 */
import { posix } from 'node:path';
import { proofCommand } from './proofCommands';
import { proofPlace } from './proofFolders';
import { findRunner, type RunnerContext } from './proofRunners';
import type { Ecosystem, Project, ProofUnit, ProposedLayer, ProposedProof } from './types';

export interface ProofInput {
  layer: ProposedLayer;
  /** The projects whose commands validate the layer (its unit's). */
  projects: Project[];
}

export async function proposeProof(workspace: string, inputs: readonly ProofInput[], ctx: RunnerContext): Promise<ProposedProof> {
  const proof: ProposedProof = { units: [], without: [] };
  for (const { layer, projects } of inputs) {
    const runner = findRunner(projects, layer.validate, ctx);
    if (!runner) {
      proof.without.push({ layer: layer.name, reason: whyNone(projects) });
      continue;
    }
    // An F# project compiles only the files it lists: a test file dropped into a folder is never built.
    if (runner.name === 'dotnet' && runner.project.manifest.endsWith('.fsproj')) {
      proof.without.push({ layer: layer.name, reason: `${runner.project.manifest} is F#, which builds only the files it lists: a new test file would not run` });
      continue;
    }
    const place = await proofPlace(workspace, runner, ctx.files);
    // Two layers from one project (its `api/` and `ui/` folders) share its runner and folder: one entry.
    if (proof.units.some((u) => u.tests === place.tests)) continue;
    const unit: ProofUnit = {
      layer: layer.name,
      runner: runner.name,
      tests: place.tests,
      command: proofCommand(runner, place),
      origin: runner.origin,
      language: place.language,
      probe: posix.join(place.folder, place.probe),
    };
    proof.units.push(unit);
  }
  return proof;
}

const NO_RUNNER: Partial<Record<Ecosystem, string>> = {
  node: 'no test script runs node --test, vitest or jest, and neither is a dependency',
  python: 'pytest is neither a dependency nor configured (pytest.ini, conftest.py, [tool.pytest.ini_options])',
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
