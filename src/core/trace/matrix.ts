/**
 * The traceability matrix of a spec (seed 000, docs/traceability.md): one row per acceptance
 * criterion — requirement, criterion, the tasks serving it, the files changed for those tasks,
 * the validation results of the owning layers, the review's verdict, the tests, and the proof
 * (docs/proof.md: the test written before the code, red on the base, green after). Built from
 * what the journal shows the orchestrator saw (files written by each layer's agent, the
 * validation it ran, the review verdicts), never from what an agent says it did. Pure: the
 * I/O (journals, the work tree, test files) is in traceOfSpec.ts.
 */
import { meaningOf } from '../catalogue';
import type { StateEvent } from '../journal';
import type { SpecTasks } from '../project/specs';
import { DEFERRED_IN_SOURCE, DONE_BEFORE_IMPORT, NOT_IMPLEMENTABLE } from './linkMarks';
import { proofOfRun, traceProofOf } from './proofOfRun';
import { citedCriteria, citedRequirements, mentionsId, type Requirement } from './requirements';
import type { Gap, TraceMatrix, TraceRow } from '../traceMatrix';

export type { Gap, TraceMatrix, TraceRow } from '../traceMatrix';

export interface MatrixInput {
  specId: string;
  title: string;
  requirements: readonly Requirement[];
  /** The spec's tasks with their owning layers (specWork). */
  work: SpecTasks;
  runIds: string[];
  /** The runs' events, oldest run first. */
  events: readonly StateEvent[];
  /** Files changed since the checkpoint that no agent wrote (a human's fix), by owning layer. */
  handChanges?: ReadonlyMap<string, string[]>;
  /** Test files with their text (only what is needed to find requirement ids). */
  testFiles: ReadonlyMap<string, string>;
  /** Groups of sub-tasks (an imported spec's parent tasks), listed as they are. */
  taskGroups?: string[];
}

export function buildMatrix(input: MatrixInput): TraceMatrix {
  const { byLayer, byHand } = filesByLayer(input.events, input.handChanges);
  const validation = lastValidation(input.events);
  const review = lastReview(input.events);
  const amendments = amendmentsOf(input.events);
  const waivers = waiversOf(input.events);
  // The runs' journals folded in order: a later run's PROVE or GREEN supersedes an earlier one's.
  const proofs = proofOfRun(input.events);
  const taskLayers = layersOfTasks(input.work);
  const rows: TraceRow[] = [];
  for (const req of input.requirements) {
    const tasks = input.work.tasks.filter((t) => citedRequirements(t.text, [req]).length > 0);
    const layers = unique(tasks.flatMap((t) => taskLayers.get(t.line) ?? []));
    // A task deferred in the source wrote nothing: the files of its layer are not its files.
    const files = unique(
      tasks
        .filter((t) => !t.text.includes(DEFERRED_IN_SOURCE))
        .flatMap((t) => filesOfTask(t.text, taskLayers.get(t.line) ?? [], byLayer)),
    ).sort();
    const validationCells = layers.map((layer) => `${layer}: ${validation.get(layer) ?? 'not run'}`);
    const taskCells = tasks.map((t) => `${taskNumber(input.work, t.line)}${t.text}`);
    const criteria = req.criteria.length > 0 ? req.criteria : [{ id: req.id, text: req.title, line: req.line }];
    const source =
      tasks.length === 0
        ? 'not-linked'
        : files.length === 0 && tasks.every((t) => t.done && t.text.includes(DONE_BEFORE_IMPORT))
          ? 'done-before-import'
          : undefined;
    // Tasks ticked at import as process, not code (a checkpoint) or deferred in the source, with the ones done before: no file is owed.
    const nothingOwed =
      tasks.length > 0 &&
      tasks.every(
        (t) =>
          t.done && [DONE_BEFORE_IMPORT, NOT_IMPLEMENTABLE, DEFERRED_IN_SOURCE].some((mark) => t.text.includes(mark)),
      );
    for (const criterion of criteria) {
      const verdict = reviewOf(review, criterion.id);
      const tests = testsFor(req, criterion.id, files, input.testFiles);
      const gaps: Gap[] = [];
      if (tasks.length === 0) gaps.push('no-task');
      if (files.length === 0 && source === undefined && !nothingOwed) gaps.push('no-file');
      if (tests.length === 0) gaps.push('no-test');
      if (verdict.startsWith('unmet')) gaps.push('unmet');
      if (validationCells.some((cell) => cell.includes(': failed'))) gaps.push('validation-failed');
      rows.push({
        requirement: req.id,
        requirementTitle: req.title,
        criterion: criterion.id,
        criterionText: criterion.text,
        tasks: taskCells,
        layers,
        files,
        validation: validationCells,
        review: verdict,
        tests,
        gaps,
        changes: amendments.get(req.id) ?? [],
        ...(source ? { source } : {}),
        ...(tests.length === 0 && waivers.has(req.id) ? { testWaiver: waivers.get(req.id)! } : {}),
        proof: traceProofOf(proofs.get(criterion.id)),
      });
    }
  }
  return {
    specId: input.specId,
    title: input.title,
    runIds: input.runIds,
    rows,
    requirementsWithoutFile: unique(rows.filter((r) => r.gaps.includes('no-file')).map((r) => r.requirement)),
    notLinked: unique(rows.filter((r) => r.source === 'not-linked').map((r) => r.requirement)),
    doneBeforeImport: unique(rows.filter((r) => r.source === 'done-before-import').map((r) => r.requirement)),
    unlinkedTasks: input.work.tasks
      .filter((t) => citedRequirements(t.text, input.requirements).length === 0)
      .map((t) => `${taskNumber(input.work, t.line)}${t.text}`),
    criteriaWithoutTest: rows.filter((r) => r.gaps.includes('no-test')).map((r) => r.criterion),
    byHand,
    ...(input.taskGroups?.length ? { taskGroups: input.taskGroups } : {}),
  };
}

/** Files each layer's agents wrote or deleted (journal), plus hand changes marked as such. */
function filesByLayer(
  events: readonly StateEvent[],
  hand: ReadonlyMap<string, string[]> | undefined,
): { byLayer: Map<string, Set<string>>; byHand: Record<string, string[]> } {
  const byLayer = new Map<string, Set<string>>();
  const agentFiles = new Set<string>();
  const handPaths = new Map<string, Set<string>>();
  for (const event of events) {
    const { file } = meaningOf(event);
    if (file) {
      (byLayer.get(file.agent) ?? byLayer.set(file.agent, new Set()).get(file.agent)!).add(file.path);
      agentFiles.add(file.path);
    } else if (event.type === 'trace.by-hand') {
      for (const [layer, paths] of Object.entries(event.files))
        paths.forEach((path) => (handPaths.get(layer) ?? handPaths.set(layer, new Set()).get(layer)!).add(path));
    }
  }
  for (const [layer, paths] of hand ?? [])
    paths.forEach((path) => (handPaths.get(layer) ?? handPaths.set(layer, new Set()).get(layer)!).add(path));
  const byHand: Record<string, string[]> = {};
  for (const [layer, paths] of handPaths) {
    // A file an agent also changed is listed once, as the agent's.
    const own = [...paths].filter((path) => !agentFiles.has(path)).sort();
    if (own.length === 0) continue;
    byHand[layer] = own;
    own.forEach((path) => (byLayer.get(layer) ?? byLayer.set(layer, new Set()).get(layer)!).add(`${path} (by hand)`));
  }
  return { byLayer, byHand };
}

/** The changed files a task names; else every file its layers changed. */
function filesOfTask(text: string, layers: readonly string[], byLayer: Map<string, Set<string>>): string[] {
  const changed = layers.flatMap((layer) => [...(byLayer.get(layer) ?? [])]);
  const named = changed.filter((file) => text.includes(file.replace(/ \(by hand\)$/, '')));
  return named.length > 0 ? named : changed;
}

/** Each requirement's approved amendments, oldest first: the spec's version and when. */
function amendmentsOf(events: readonly StateEvent[]): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const event of events) {
    if (event.type !== 'change.approved') continue;
    const when = `v${event.version}${event.ts ? ` ${event.ts}` : ''}`;
    for (const id of event.requirements) result.set(id, [...(result.get(id) ?? []), when]);
  }
  return result;
}

/** Requirements a workflow gate let through with no test (`trace.waived`): where, the first time. */
function waiversOf(events: readonly StateEvent[]): Map<string, string> {
  const result = new Map<string, string>();
  for (const event of events) {
    if (event.type !== 'trace.waived') continue;
    for (const id of event.requirements)
      if (!result.has(id)) result.set(id, `waived at phase ${event.phase} (--allow-untested)`);
  }
  return result;
}

function lastValidation(events: readonly StateEvent[]): Map<string, string> {
  const result = new Map<string, string>();
  for (const { validation } of events.map(meaningOf)) {
    // Issue 70: "passed" only when something ran; a validation of no command says what checked the layer.
    if (validation?.state === 'passed')
      result.set(
        validation.layer,
        validation.commands !== 0 ? 'passed' : validation.proofTests ? 'proof tests only' : 'no check ran',
      );
    else if (validation?.state === 'failed') result.set(validation.layer, `failed (${validation.command})`);
  }
  return result;
}

interface ReviewFacts {
  verdict?: 'approved' | 'rejected';
  criteria: Map<string, { verdict: 'met' | 'unmet'; problem?: string }>;
  skipped?: string;
}

function lastReview(events: readonly StateEvent[]): ReviewFacts {
  let facts: ReviewFacts = { criteria: new Map() };
  for (const { review, reviewSkipped } of events.map(meaningOf)) {
    if (review) facts = { verdict: review.verdict, criteria: new Map((review.criteria ?? []).map((c) => [c.id, c])) };
    else if (reviewSkipped) facts = { criteria: new Map(), skipped: reviewSkipped.reason };
  }
  return facts;
}

function reviewOf(review: ReviewFacts, criterion: string): string {
  const judged = review.criteria.get(criterion);
  if (judged) return judged.verdict === 'met' ? 'met' : `unmet${judged.problem ? `: ${judged.problem}` : ''}`;
  if (review.skipped) return `skipped: ${review.skipped}`;
  if (review.verdict) return `${review.verdict} (whole change)`;
  return 'not reviewed';
}

/** Test files citing the criterion or its requirement, else the tests of the changed modules. */
function testsFor(
  req: Requirement,
  criterion: string,
  files: readonly string[],
  testFiles: ReadonlyMap<string, string>,
): string[] {
  const citing: string[] = [];
  for (const [path, text] of testFiles) {
    if (mentionsId(text, criterion) || (mentionsId(text, req.id) && citedCriteria(text, [req]).length === 0))
      citing.push(path);
  }
  if (citing.length > 0) return citing.sort();
  const stems = new Set(files.map((f) => moduleStem(f.replace(/ \(by hand\)$/, ''))).filter((s) => s.length > 0));
  return [...testFiles.keys()].filter((path) => stems.has(testStem(path))).sort();
}

/** `server/entities/product.js` → `product`. */
function moduleStem(path: string): string {
  return (path.split('/').pop() ?? '').replace(/\.[^.]+$/, '').toLowerCase();
}

/** `test/product.test.js`, `product.spec.ts`, `test_product.py`, `product_test.go`, `ProductTests.cs` → `product`. */
function testStem(path: string): string {
  const name = (path.split('/').pop() ?? '').replace(/\.[^.]+$/, '');
  return name
    .replace(/\.(test|spec)$/i, '')
    .replace(/^test_/i, '')
    .replace(/_(test|spec)$/i, '')
    .replace(/Tests?$/, '')
    .toLowerCase();
}

function layersOfTasks(work: SpecTasks): Map<number, string[]> {
  const result = new Map<number, string[]>();
  for (const [layer, items] of Object.entries(work.layers)) {
    for (const task of items.tasks) result.set(task.line, [...(result.get(task.line) ?? []), layer]);
  }
  return result;
}

function taskNumber(work: SpecTasks, line: number): string {
  const index = work.tasks.findIndex((t) => t.line === line);
  return index < 0 ? '' : `${index + 1}. `;
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
