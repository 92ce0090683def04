/**
 * The I/O around the matrix: the spec, the journals of the runs that implemented it, the
 * files changed by hand since the checkpoint (a human's fix after a stop), and the project's
 * test files. Used after each phase of a run, by COMPLETE's check, `orchestrator trace` and
 * the sidebar.
 */
import { existsSync, readdirSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { walkFiles, WorkspaceGuard } from '../agents';
import { changedFiles } from '../git';
import { readEvents, rebuildState, runsDir, type StateEvent } from '../journal';
import { layerOwning, type OrchestratorConfig } from '../project/config';
import { loadSpec, type Spec, specWork } from '../project/specs';
import { taskGroups } from './linkMarks';
import { buildMatrix, type TraceMatrix } from './matrix';
import { parseRequirements } from './requirements';

/** Source files that are tests by their name or folder (never the spec folders' markdown). */
const TEST_FILE =
  /(?:^|\/)(?:tests?|__tests__|specs?)\/.+\.(?:[cm]?[jt]sx?|py|go|rb|java|kt|cs|rs|php|swift)$|\.(?:test|spec)\.[cm]?[jt]sx?$|(?:^|\/)test_[^/]+\.py$|_test\.(?:py|go)$|Tests?\.(?:cs|java|kt|swift)$|_spec\.rb$/;
const MAX_TEST_BYTES = 512 * 1024;
const MAX_TEST_FILES = 5000;

export interface TraceOptions {
  /** Count files changed since the checkpoint that no agent wrote (default: while the run has not completed). */
  handChanges?: boolean;
  /** A run in progress: its events, instead of reading every journal of the spec. */
  run?: { runId: string; events: readonly StateEvent[] };
  /** With `run`: the runs whose work it continues (a follow-up's, on the same branch), oldest first. */
  earlier?: readonly { runId: string; events: readonly StateEvent[] }[];
}

export async function traceOfSpec(
  workspace: string,
  config: OrchestratorConfig,
  specId: string,
  options: TraceOptions = {},
): Promise<TraceMatrix> {
  const spec = await loadSpec(workspace, specId);
  const runs = options.run
    ? [...(options.earlier ?? []), options.run].map((run) => ({ runId: run.runId, events: [...run.events] }))
    : runsOfSpec(workspace, specId);
  const events = runs.flatMap((run) => run.events);
  const last = runs.at(-1);
  const lastState = last ? rebuildState(last.events) : undefined;
  const wantHand = options.handChanges ?? (lastState !== undefined && lastState.status !== 'completed');
  const handChanges =
    wantHand && lastState?.checkpoint
      ? await changesByHand(workspace, config, lastState.checkpoint.ref, events)
      : undefined;
  return matrixOf(
    spec,
    config,
    runs.map((r) => r.runId),
    events,
    await readTestFiles(workspace, config),
    handChanges,
  );
}

export function matrixOf(
  spec: Spec,
  config: OrchestratorConfig,
  runIds: string[],
  events: readonly StateEvent[],
  testFiles: ReadonlyMap<string, string>,
  handChanges?: ReadonlyMap<string, string[]>,
): TraceMatrix {
  return buildMatrix({
    specId: spec.id,
    title: spec.frontMatter.title,
    requirements: parseRequirements(spec.body).requirements,
    work: specWork(spec.body, config),
    runIds,
    events,
    testFiles,
    taskGroups: taskGroups(spec.body),
    ...(handChanges ? { handChanges } : {}),
  });
}

/** Runs that worked on the spec and were not rolled back, oldest first (journals that cannot be read are skipped). */
export function runsOfSpec(workspace: string, specId: string): { runId: string; events: StateEvent[] }[] {
  const runs: { runId: string; events: StateEvent[]; started: string }[] = [];
  const dirs = existsSync(runsDir(workspace))
    ? readdirSync(runsDir(workspace), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
    : [];
  for (const runId of dirs) {
    let events: StateEvent[];
    try {
      events = readEvents(workspace, runId);
    } catch {
      continue;
    }
    if (!events.some((e) => 'specId' in e && e.specId === specId)) continue;
    if (events.some((e) => e.type === 'run.rolled-back')) continue;
    runs.push({ runId, events, started: events[0]?.ts ?? '' });
  }
  return runs.sort((a, b) => a.started.localeCompare(b.started) || a.runId.localeCompare(b.runId));
}

/** Paths changed since the checkpoint that no journaled agent wrote, grouped by the layer owning them. */
async function changesByHand(
  workspace: string,
  config: OrchestratorConfig,
  ref: string,
  events: readonly StateEvent[],
): Promise<Map<string, string[]>> {
  const journaled = new Set(
    events.flatMap((e) => (e.type === 'file.written' || e.type === 'file.deleted' ? [e.path] : [])),
  );
  const byLayer = new Map<string, string[]>();
  const changed = await changedFiles(workspace, ref).catch(() => []);
  for (const file of changed) {
    if (journaled.has(file.path) || file.path.startsWith('spec/') || file.path.startsWith('.claude/')) continue;
    const layer = layerOwning(config, file.path);
    if (layer !== undefined) byLayer.set(layer, [...(byLayer.get(layer) ?? []), file.path]);
  }
  return byLayer;
}

/** The project's test files and their text (bounded: at most 5000 files of 512 KB; denied paths never read). */
export async function readTestFiles(workspace: string, config: OrchestratorConfig): Promise<Map<string, string>> {
  // The agents' privacy rules (built-in deny list, privacy.deny, .gitignore) hide the same files here.
  const guard = await WorkspaceGuard.create(workspace, [], config.privacy.deny);
  const { files } = await walkFiles(workspace, {
    start: '',
    maxFiles: 200_000,
    hidden: (path, isDir) => guard.hiddenReason(path, isDir),
  });
  const tests = files.filter((path) => TEST_FILE.test(path) && !path.startsWith('.claude/')).slice(0, MAX_TEST_FILES);
  const result = new Map<string, string>();
  // A few reads at a time: thousands at once would run out of file descriptors.
  for (let at = 0; at < tests.length; at += 32) {
    const texts = await Promise.all(tests.slice(at, at + 32).map((path) => readSmallText(join(workspace, path))));
    texts.forEach((text, index) => {
      if (text !== undefined) result.set(tests[at + index]!, text);
    });
  }
  return result;
}

async function readSmallText(path: string): Promise<string | undefined> {
  const size = (await stat(path).catch(() => undefined))?.size ?? Infinity;
  return size > MAX_TEST_BYTES ? undefined : readFile(path, 'utf8').catch(() => undefined);
}
