/**
 * Seed 001's critical operations, checked before a model turn's changes are applied:
 * deleting more than 50 lines, touching more than 5 files in one turn, or changing a
 * `schema` path; in an audit run also creating a new module or top-level folder, writing a
 * migration, and changing a core file (`audit.core` globs). Each asks the host (a yes given up
 * front, `--yes`, answers without asking: questions.ts; a host with no human answers no) and
 * every question and answer is journaled. Schema files the approved spec names are not asked about: the approval answered
 * for exactly those, journaled as `covered`. A refusal turns that turn's mutating calls into
 * error results: the action is skipped and the agent goes on (refusals.ts reports it if the run
 * then cannot finish).
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import picomatch from 'picomatch';
import type { TurnEffects } from '../../agents';
import { isSchemaPath, type OrchestratorConfig } from '../../project/config';
import { loadSpec, namedPaths, specWork } from '../../project/specs';
import { type ConfirmationAsk, CONFIRMATION_WORDS } from '../../questions';
import { askConfirmation, packageScripts, type RunContext } from '../kernel';

export const MAX_DELETED_LINES = 50;
export const MAX_FILES_PER_TURN = 5;

/** Files that make a folder a module or package of its ecosystem. */
const MODULE_MANIFESTS = picomatch(
  [
    '**/__init__.py',
    '**/__manifest__.py',
    '**/package.json',
    '**/go.mod',
    '**/Cargo.toml',
    '**/pyproject.toml',
    '**/setup.py',
    '**/*.csproj',
    '**/pom.xml',
    '**/build.gradle{,.kts}',
  ],
  { dot: true },
);

/** Where migrations live in the common frameworks (EF Core, Django, Alembic, Rails, Knex, Prisma, Flyway…). */
const MIGRATION_PATHS = picomatch(
  [
    '**/migrations/**',
    '**/Migrations/**',
    '**/migration/**',
    '**/migrate/**',
    '**/alembic/versions/**',
    '**/*.sql',
    '**/*.prisma',
    '**/db/changelog/**',
  ],
  { dot: true, nocase: true },
);

const coreMatchers = new WeakMap<readonly string[], (path: string) => boolean>();
function isCorePath(config: OrchestratorConfig, path: string): boolean {
  if (config.audit.core.length === 0) return false;
  let matcher = coreMatchers.get(config.audit.core);
  if (!matcher) coreMatchers.set(config.audit.core, (matcher = picomatch(config.audit.core, { dot: true })));
  return matcher(path);
}

type Exists = (path: string) => Promise<boolean>;

/**
 * `approved`: the schema files the approved spec names; its approval already answers for exactly
 * those, so only the schema files beyond them are asked about.
 */
export async function confirmationsNeeded(
  ctx: Pick<RunContext, 'config' | 'kind' | 'workspace' | 'commandFiles'>,
  effects: TurnEffects,
  approved: ReadonlySet<string> = new Set(),
): Promise<ConfirmationAsk[]> {
  const { agent, paths, deletedLines } = effects;
  const asks: ConfirmationAsk[] = [];
  const ask = (kind: ConfirmationAsk['kind'], about: string[], question: string) =>
    asks.push({ kind, agent, paths: about, question });
  /** The question of a kind whose words (CONFIRMATION_WORDS) say it all but what it touches. */
  const askWill = (kind: ConfirmationAsk['kind'], about: string[], detail: string) =>
    ask(kind, about, `The ${agent} agent will ${CONFIRMATION_WORDS[kind]}: ${detail}. Allow it?`);
  if (deletedLines > MAX_DELETED_LINES)
    asks.push({
      kind: 'delete-lines',
      agent,
      paths,
      lines: deletedLines,
      question: `The ${agent} agent will delete ${deletedLines} lines in ${shown(paths)}. Allow it?`,
    });
  if (paths.length > MAX_FILES_PER_TURN)
    ask('many-files', paths, `The ${agent} agent will change ${paths.length} files at once. Allow it?`);
  const schema = paths.filter((path) => isSchemaPath(ctx.config, path));
  const unapproved = schema.filter((path) => !approved.has(path));
  if (unapproved.length > 0)
    ask('schema-change', unapproved, `The ${agent} agent will change the schema: ${shown(unapproved)}. Allow it?`);
  const validators = await validatorChanges(ctx, effects);
  if (validators.length > 0) {
    const commands = [...new Set(validators.flatMap((path) => ctx.commandFiles!.commandsRunning(path)))];
    askWill('validator-change', validators, `${shown(validators)} (${shown(commands.map((c) => `"${c}"`))})`);
  }
  if (ctx.kind !== 'audit') return asks;

  // An audit improves what exists: new modules, migrations and core files are the human's call.
  const exists: Exists = (path) =>
    stat(join(ctx.workspace, path)).then(
      () => true,
      () => false,
    );
  const modules = await newModules(effects.created, exists);
  if (modules.length > 0) askWill('new-module', modules, shown(modules));
  const migrations = paths.filter((path) => MIGRATION_PATHS(path) && !schema.includes(path));
  if (migrations.length > 0) askWill('migration', migrations, shown(migrations));
  const core = paths.filter((path) => isCorePath(ctx.config, path));
  if (core.length > 0) askWill('core-file', core, shown(core));
  return asks;
}

/**
 * What the created files would bring into being: a folder that does not exist yet (the
 * top-level one included), or a module manifest (package.json, __init__.py, *.csproj…).
 */
async function newModules(created: readonly string[], exists: Exists): Promise<string[]> {
  const found = new Set<string>();
  for (const path of created) {
    const folder = await firstNewFolder(path, exists);
    if (folder !== undefined) found.add(`${folder}/`);
    else if (MODULE_MANIFESTS(path)) found.add(path);
  }
  return [...found].sort();
}

/** The shallowest folder above `path` that does not exist yet: the one writing it creates. */
async function firstNewFolder(path: string, exists: Exists): Promise<string | undefined> {
  const parts = path.split('/').slice(0, -1);
  for (let depth = 1; depth <= parts.length; depth++) {
    const folder = parts.slice(0, depth).join('/');
    if (!(await exists(folder))) return folder;
  }
  return undefined;
}

/** The agent loop's approveTurn hook for this run. */
export function confirmTurn(ctx: RunContext): (effects: TurnEffects) => Promise<boolean> {
  return async (effects) => {
    const approved = await approvedSchemaFiles(ctx, effects);
    if (approved) {
      const paths = effects.paths.filter((path) => approved.files.has(path));
      ctx.emit({
        type: 'confirmation',
        question: `The ${effects.agent} agent will change the schema: ${shown(paths)}, named in the approved spec ${approved.specId}.`,
        answer: true,
        kind: 'schema-change',
        agent: effects.agent,
        paths,
        covered: approved.specId,
      });
    }
    const requests = await confirmationsNeeded(ctx, effects, approved?.files);
    for (const request of requests) {
      const answer = await askConfirmation(
        {
          host: ctx.host,
          config: ctx.config,
          answers: ctx.opts,
          emit: ctx.emit,
          events: ctx.events,
          ...(ctx.signal ? { signal: ctx.signal } : {}),
          setAside: ctx.setAside,
        },
        request,
      );
      ctx.emit({
        type: 'confirmation',
        question: request.question,
        answer,
        kind: request.kind,
        agent: request.agent,
        paths: request.paths,
      });
      if (!answer) return false;
    }
    // Accepted: what the validate commands run is re-hashed, not taken for tampering.
    for (const request of requests) if (request.kind === 'validator-change') ctx.commandFiles?.accept(request.paths);
    return true;
  };
}

/** The turn's schema files that the run's approved spec names (its files and tasks), if any. */
async function approvedSchemaFiles(
  ctx: RunContext,
  effects: TurnEffects,
): Promise<{ specId: string; files: Set<string> } | undefined> {
  const specId = ctx.facts().specId;
  const schema = effects.paths.filter((path) => isSchemaPath(ctx.config, path));
  if (schema.length === 0 || specId === undefined || !ctx.state().specApproved) return undefined;
  const spec = await loadSpec(ctx.workspace, specId).catch(() => undefined);
  if (!spec) return undefined;
  const work = specWork(spec.body, ctx.config);
  const named = new Set([
    ...Object.values(work.layers).flatMap((layer) => layer.files.map((file) => file.path)),
    ...work.tasks.flatMap((task) => namedPaths(task.text)),
  ]);
  const files = new Set(schema.filter((path) => named.has(path)));
  return files.size > 0 ? { specId, files } : undefined;
}

/**
 * Files of the turn that a configured command executes (a Makefile, a tool config, a script a
 * package script runs), where the change would alter what runs. A package.json counts only
 * when its scripts change: adding a dependency asks nothing.
 */
async function validatorChanges(
  ctx: Pick<RunContext, 'workspace' | 'commandFiles'>,
  effects: TurnEffects,
): Promise<string[]> {
  if (!ctx.commandFiles) return [];
  const executed = ctx.commandFiles.paths();
  const changed: string[] = [];
  for (const path of effects.paths) {
    if (!executed.has(path)) continue;
    if (basename(path) === 'package.json') {
      const after = effects.after?.[path];
      const before = await readFile(join(ctx.workspace, path), 'utf8').catch(() => undefined);
      if (
        typeof after === 'string' &&
        before !== undefined &&
        packageScripts(after) !== undefined &&
        packageScripts(after) === packageScripts(before)
      )
        continue;
    }
    changed.push(path);
  }
  return changed;
}

function shown(paths: string[]): string {
  return paths.length <= 5 ? paths.join(', ') : `${paths.slice(0, 5).join(', ')} and ${paths.length - 5} more`;
}
