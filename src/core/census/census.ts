/**
 * The census of a repository (docs/census.md): reads its
 * manifests, workspaces, schema folders, CI workflows and task files — running nothing — and
 * proposes layers with `owns`, `after`, `validate` and `schema`.
 */
import { readdir } from 'node:fs/promises';
import { basename, join, posix } from 'node:path';
import { executedFiles } from '../project/commands';
import { browserSuites } from './commands/browserSuites';
import { readCiCommands } from './commands/ciWorkflows';
import { checkRemainder } from './commands/checkRemainder';
import { remainderWarning } from './commands/remainderLines';
import { FileIndex } from './files/fileIndex';
import { isSkippedFolder, isSourceFile, listRepositoryFiles } from './files/fileList';
import { ROLE_FOLDERS } from './manifests/frameworks';
import { compilesOnly } from './commands/manifestCommands';
import {
  checksOf,
  folderCommands,
  projectCommands,
  rootBuildChecks,
  rootManifestCommands,
  scriptsReader,
  unitCommands,
} from './commands/layerCommands';
import { mustardInputs } from './mustardInputs';
import { nixDefinedChecks } from './commands/nixDefined';
import { readManifests, TEMPLATE_FOLDER } from './manifests/manifests';
import { pythonTestTools } from './commands/pythonTestTools';
import { ownsFromClaims } from './files/owns';
import {
  ecosystemOfKind,
  MOBILE_PLATFORMS,
  platformFolderOf,
  schemaPackages,
  withoutPlatformFolders,
  withoutToolingPackages,
} from './layers/projectRoles';
import { proposeProof } from './proof/proofProposal';
import { siblingBuilds } from './commands/siblingBuilds';
import { scriptCommand } from './commands/packageCommands';
import { trustedCommands, trustedProofCommands } from './commands/commandTrust';
import { orderLayers } from './layers/layerOrder';
import { findSchema } from './schema/schemaContent';
import type { ScopeContext } from './commands/scopeCommand';
import { readTaskFiles } from './commands/taskFiles';
import type { Census, CensusInputs, ProposedLayer, Project } from './types';
import { nameUnits, proposeUnits, type Unit } from './layers/units';
import { packageManagerOf, readWorkspaces } from './manifests/workspaces';

const COVERAGE_GOAL = 0.9;
/** A test file or one in a tests folder, of any stack. */
const TEST_FILE =
  /(^|\/)(tests?|__tests__|spec)\/|(^|\/)(test_[^/]*\.py|[^/]*_test\.(py|go)|conftest\.py|[^/]*\.(test|spec)\.[cm]?[jt]sx?)$/;
const FIXTURE = /(^|\/)(fixtures?|__fixtures__|testdata|test-fixtures|__snapshots__)(\/|$)/;

/** The census with Mustard's files read too (the default for init and runs without config). */
export async function takeCensus(workspace: string, inputs?: CensusInputs): Promise<Census> {
  const started = performance.now();
  return censusWith(workspace, inputs ?? (await mustardInputs(workspace)), started);
}

async function censusWith(workspace: string, inputs: CensusInputs, started: number): Promise<Census> {
  const { files, truncated } = await listRepositoryFiles(workspace);
  const fileSet = new Set(files);
  const warnings: string[] = [...(inputs.warnings ?? [])];
  if (truncated)
    warnings.push(`the repository has more than ${files.length} files; the census looked at the first ${files.length}`);
  const folders = foldersOf(files);
  const sourceDirs = new Set<string>();
  for (const file of files)
    if (isSourceFile(file))
      for (let dir = posix.dirname(file); dir !== '.'; dir = posix.dirname(dir)) {
        if (sourceDirs.has(dir)) break;
        sourceDirs.add(dir);
      }

  const manifests = await readManifests(workspace, files);
  warnings.push(...manifests.warnings);
  await pythonTestTools(workspace, manifests.projects, fileSet);
  const workspaces = await readWorkspaces(workspace, manifests.projects, manifests.texts, fileSet);
  warnings.push(...workspaces.warnings);
  const projects = withoutToolingPackages(
    withoutPlatformFolders(
      [...manifests.projects, ...workspaces.includedModules].filter(
        (p) => !workspaces.aggregators.has(p.dir) && !workspaces.foldedModules.has(p.dir) && !FIXTURE.test(p.dir),
      ),
    ),
    new Set(workspaces.js?.members.keys() ?? []),
  );
  for (const extra of inputs.projects ?? []) {
    if (
      extra.dir === '' ||
      FIXTURE.test(extra.dir) ||
      TEMPLATE_FOLDER.test(`${extra.dir}/`) ||
      projects.some((p) => p.dir === extra.dir) ||
      !folders.has(extra.dir)
    )
      continue;
    projects.push({
      dir: extra.dir,
      ecosystem: ecosystemOfKind(extra.kind),
      name: extra.name || basename(extra.dir),
      manifest: extra.origin,
      frameworks: extra.frameworks,
      scripts: {},
    });
  }
  projects.sort((a, b) => a.dir.localeCompare(b.dir));

  const schema = await findSchema(workspace, files);
  schemaPackages(projects, schema.files);
  const workflowNames = await readdir(join(workspace, '.github/workflows')).catch(() => [] as string[]);
  const ci = await readCiCommands(workspace, workflowNames.filter((n) => /\.ya?ml$/.test(n)).sort());
  warnings.push(...ci.warnings);
  // A folder CI makes itself (`cd source` into an unpacked `cabal sdist`) holds none of the repository's files as they are: its commands check no layer.
  ci.commands = ci.commands.filter(
    (c) => c.cwd === '' || folders.has(c.cwd) || c.cwd.split('/').some((part) => isSkippedFolder(part)),
  );
  const taskList = await readTaskFiles(workspace, files);
  const tasks = taskList.filter((t) => !t.lastResort);
  const rootPackage =
    manifests.projects.find((p) => p.dir === '' && p.ecosystem === 'node') ??
    manifests.projects.find((p) => p.dir === '');
  const testDirs = new Set(files.filter((f) => TEST_FILE.test(f)).map((f) => posix.dirname(f)));
  const hasOwnTests = (dir: string) => [...testDirs].some((d) => d === dir || d.startsWith(`${dir}/`));
  const testsAtRoot = [...testDirs].some(
    (d) => !projects.some((p) => p.dir !== '' && (d === p.dir || d.startsWith(`${p.dir}/`))),
  );
  const scope: ScopeContext = {
    workspaces,
    rootScripts: rootPackage?.scripts ?? {},
    manager: workspaces.js?.manager ?? packageManagerOf(fileSet, ''),
    projects,
    hasOwnTests,
    testsAtRoot,
    nixDefined: await nixDefinedChecks(workspace, files),
  };
  const commandsOf = projectCommands(scope, fileSet, ci.commands, inputs.commands ?? [], tasks);

  const units = proposeUnits(projects, schema.globs, folders, (dir) => sourceDirs.has(dir));
  const commandsByUnit = units.map((u) => unitCommands(u, commandsOf));
  // Programs a command names itself stay out of every owns (the trust rule).
  const excluded = new Set<string>();
  const scripts = scriptsReader(manifests.projects, workspaces.js?.members);
  for (const list of commandsByUnit)
    for (const { command } of list)
      for (const file of executedFiles(command, scripts))
        if (!file.guarded && fileSet.has(file.path)) excluded.add(file.path);
  for (const file of files)
    if (posix.basename(file) === 'gradlew' || posix.basename(file) === 'mvnw') excluded.add(file);

  let ownership = ownsFromClaims(files, claimsOf(units), excluded);
  // The repository's checks as folder layers run them (CI's and task files', wherever they run).
  const repoChecks = checksOf(projects, scope.rootScripts, scope.nixDefined)([...ci.commands, ...tasks]);
  // Judged by their recipes when read (an end-to-end task's name says no check of its own).
  const endToEnd = taskList.filter((t) => t.lastResort).map((t) => ({ ...t, kind: 'test' as const }));
  const sourceFiles = files.filter(isSourceFile);
  let unowned = sourceFiles.filter((f) => ownership.ownerOf(f) === undefined);
  // Source no manifest claims: folder layers, biggest first, until the coverage goal is met (and past it, folders CI checks).
  if (sourceFiles.length > 0 && unowned.length > 0) {
    const groups = new Map<string, number>();
    // A generator's template folder at the top is the repository's own (the generator's), never a layer of its own.
    const topFolder = (file: string) =>
      !file.includes('/') || TEMPLATE_FOLDER.test(file.slice(0, file.indexOf('/') + 1))
        ? ''
        : file.slice(0, file.indexOf('/'));
    for (const file of unowned)
      if (!excluded.has(file)) groups.set(topFolder(file), (groups.get(topFolder(file)) ?? 0) + 1);
    let left = unowned.length;
    for (const [folder, count] of [...groups].sort((a, b) => b[1] - a[1])) {
      let found = [
        ...folderCommands(folder, repoChecks, projects.length === 0),
        ...rootBuildChecks(folder, repoChecks, fileSet, sourceFiles),
      ];
      // A folder nothing else checks is checked by the end-to-end task run in it (`deno task e2e:staging` → `cd e2e && deno test`).
      if (found.length === 0 && folder !== '') found = folderCommands(folder, endToEnd, false);
      // Past the coverage goal, a folder still gets its layer when the repository runs checks in it (`cd lb && deno lint`).
      const claimed = units.some((u) => u.claims.some((c) => c !== '' && (folder === c || folder.startsWith(`${c}/`))));
      if (
        units.length > 0 &&
        left <= sourceFiles.length * (1 - COVERAGE_GOAL) &&
        (folder === '' || found.length === 0 || claimed)
      )
        continue;
      const name = folder === '' ? basename(workspace) : folder;
      const role = ROLE_FOLDERS[name.toLowerCase()];
      units.push({
        key: `folder:${folder}`,
        ...(role ? { role } : {}),
        folderName: name,
        claims: [folder],
        projects: [],
        origin: folder === '' ? 'files at the repository root' : `${folder}/`,
      });
      // The root's files (a Gradle or Cargo build's root scripts, a workspace's root package.json) are checked by the root manifests' own commands.
      commandsByUnit.push(
        found.length > 0 || folder !== '' ? found : rootManifestCommands(manifests.projects, scope, fileSet),
      );
      left -= count;
    }
    ownership = ownsFromClaims(files, claimsOf(units), excluded);
    unowned = sourceFiles.filter((f) => ownership.ownerOf(f) === undefined);
  }

  // A folder of browser tests only (`e2e/` run by CI's `playwright test`): its layer runs them; an e2e project without a check gets them.
  for (const suite of await browserSuites(workspace, ci.commands, files, projects)) {
    const command = { command: suite.command, origin: suite.origin, kind: 'test' as const };
    const at = units.findIndex((u) => u.claims.includes(suite.folder));
    if (at < 0) {
      units.push({
        key: `folder:${suite.folder}`,
        folderName: posix.basename(suite.folder),
        claims: [suite.folder],
        projects: [],
        origin: `${suite.folder}/ (browser tests)`,
      });
      commandsByUnit.push([command]);
    } else if (commandsByUnit[at]!.length === 0) commandsByUnit[at]!.push(command);
    ownership = ownsFromClaims(files, claimsOf(units), excluded);
    unowned = sourceFiles.filter((f) => ownership.ownerOf(f) === undefined);
  }

  // A platform folder no manifest we read claims (`swift/apple` built by XcodeGen, `windows/` by CMake) is still someone's: a folder layer of its own.
  const platformFolders = [...new Set(unowned.map(platformFolderOf).filter((dir): dir is string => dir !== undefined))];
  for (const dir of platformFolders) {
    const role = MOBILE_PLATFORMS.has(posix.basename(dir)) ? 'mobile' : undefined;
    units.push({
      key: `folder:${dir}`,
      ...(role ? { role } : {}),
      folderName: posix.basename(dir),
      claims: [dir],
      projects: [],
      origin: `${dir}/`,
    });
    commandsByUnit.push(folderCommands(dir, repoChecks, false));
  }
  if (platformFolders.length > 0) {
    ownership = ownsFromClaims(files, claimsOf(units), excluded);
    unowned = sourceFiles.filter((f) => ownership.ownerOf(f) === undefined);
  }

  // Every schema file has an owner: one no project holds (`db/clickhouse/migrations/` beside an aggregator root) goes to the database layer.
  const orphans = schema.files.filter(
    (file) => file.includes('/') && !excluded.has(file) && ownership.ownerOf(file) === undefined,
  );
  if (orphans.length > 0) {
    let database = units.find((u) => u.key === 'role:database');
    if (!database) {
      database = {
        key: 'role:database',
        role: 'database',
        folderName: 'database',
        claims: [],
        projects: [],
        origin: 'schema files no project holds',
      };
      units.push(database);
      commandsByUnit.push([]);
    }
    for (const file of orphans) {
      const glob = schema.globs.find((g) => g.endsWith('/**') && file.startsWith(g.slice(0, -2)));
      const dir = glob ? glob.slice(0, -3) : posix.dirname(file);
      if (!database.claims.includes(dir)) database.claims.push(dir);
    }
    ownership = ownsFromClaims(files, claimsOf(units), excluded);
    unowned = sourceFiles.filter((f) => ownership.ownerOf(f) === undefined);
  }
  for (const file of schema.files)
    if (ownership.ownerOf(file) === undefined && !excluded.has(file))
      warnings.push(`schema file ${file} is owned by no layer`);

  const names = nameUnits(units);
  const filesOf = new Map<number, string[]>();
  for (const file of files) {
    const unit = ownership.ownerOf(file);
    if (unit !== undefined) (filesOf.get(unit) ?? filesOf.set(unit, []).get(unit)!).push(file);
  }
  const layers: ProposedLayer[] = units
    .map((u, i) => ({
      name: names[i]!,
      ...(u.role ? { role: u.role } : {}),
      dirs: u.claims,
      owns: ownership.owns.get(i) ?? [],
      validate: commandsByUnit[i]!,
      after: [],
      origin: u.origin,
      stack: [...new Set(u.projects.map((p) => p.ecosystem))],
      frameworks: [...new Set(u.projects.flatMap((p) => p.frameworks))].sort(),
      conventions: conventionsOf(u, scope, workspaces.tools),
    }))
    .filter((l) => l.owns.length > 0);
  const order = await orderLayers(
    workspace,
    units
      .map((u, i) => ({
        name: names[i]!,
        ...(u.role ? { role: u.role } : {}),
        projects: u.projects,
        files: filesOf.get(i) ?? [],
      }))
      .filter((l) => layers.some((layer) => layer.name === l.name)),
  );
  for (const layer of layers) {
    const after = order.get(layer.name) ?? new Map<string, string>();
    layer.after = [...after.keys()].sort();
    if (after.size > 0) layer.afterReasons = Object.fromEntries(after);
  }

  // A workspace package whose tests import a sibling's build output gets that sibling built first, as CI's build step does.
  const index = new FileIndex(files);
  const siblings = new Map<Project, Project[]>();
  if (workspaces.js)
    for (const p of projects)
      if (p.ecosystem === 'node' && p.dir !== '') siblings.set(p, await siblingBuilds(workspace, p, projects, index));
  units.forEach((u, i) => {
    const layer = layers.find((l) => l.name === names[i]);
    const builds = [...new Set(u.projects.flatMap((p) => siblings.get(p) ?? []))].map((p) => ({
      command: scriptCommand(p, 'build', workspaces, scope.manager),
      origin: `${p.manifest} (scripts.build)`,
      kind: 'build' as const,
    }));
    // First: the package's own build and type check read the sibling's built types too.
    if (layer?.validate.some((v) => v.kind === 'test'))
      layer.validate.unshift(...builds.filter((b) => !layer.validate.some((v) => v.command === b.command)));
  });
  trustedCommands(layers, scripts, warnings);
  for (const layer of layers)
    if (layer.validate.length > 0 && layer.validate.every((v) => compilesOnly(v.command)))
      warnings.push(
        `layer ${layer.name}: its only check compiles (${layer.validate.map((v) => v.command).join('; ')}); no test or lint of it runs`,
      );
  // A layer left without a check says what was read for it and what could not be (docs/census.md, "An honest remainder").
  const remainderOf = checkRemainder({ files, ci, tasks: taskList });
  units.forEach((u, i) => {
    const layer = layers.find((l) => l.name === names[i]);
    if (!layer || layer.validate.length > 0) return;
    layer.remainder = remainderOf(layer, u.projects, filesOf.get(i) ?? []);
    warnings.push(remainderWarning(layer));
  });
  // Proof per criterion: each layer's test runner, from its validate commands and its projects' manifests.
  const proofInputs = units.flatMap((u, i) =>
    layers.filter((l) => l.name === names[i]).map((layer) => ({ layer, projects: u.projects })),
  );
  // The workspace's root package (an aggregator, not a project of its own): its test script may run every package's tests.
  const root = workspaces.js ? manifests.projects.find((p) => p.dir === '' && p.ecosystem === 'node') : undefined;
  const proof = await proposeProof(workspace, proofInputs, {
    files: index,
    siblings: (p) => siblings.get(p) ?? [],
    manager: (dir) => (workspaces.js ? workspaces.js.manager : packageManagerOf(fileSet, dir)),
    ...(root ? { root } : {}),
  });
  trustedProofCommands(proof, layers, scripts);
  return {
    layers,
    schema: schema.globs.map((glob) => ({ glob, origin: schemaOrigin(glob) })),
    unowned,
    sourceFiles: sourceFiles.length,
    ownedFiles: sourceFiles.length - unowned.length,
    files: files.length,
    projects,
    warnings,
    proof,
    ms: Math.round(performance.now() - started),
  };
}

function foldersOf(files: readonly string[]): Set<string> {
  const folders = new Set<string>();
  for (const file of files)
    for (let dir = posix.dirname(file); dir !== '.'; dir = posix.dirname(dir)) {
      if (folders.has(dir)) break;
      folders.add(dir);
    }
  return folders;
}

function claimsOf(units: readonly Unit[]) {
  return units.flatMap((u, unit) => u.claims.map((dir) => ({ unit, dir })));
}

function conventionsOf(unit: Unit, scope: ScopeContext, tools: string[]): string[] {
  const found: string[] = [];
  if (unit.projects.some((p) => p.ecosystem === 'node'))
    found.push(`package manager: ${scope.manager}${tools.length > 0 ? ` (${tools.join(', ')})` : ''}`);
  for (const project of unit.projects) if (project.tests) found.push(`tests: ${project.dir}/ (${project.name})`);
  return found;
}

function schemaOrigin(glob: string): string {
  return glob.endsWith('/**') ? `${glob.slice(0, -3)}/` : glob;
}
