/**
 * The traceability matrix and the blocks of a run, as the sidebar shows them (issue 10). Pure,
 * like the rest of the view's reducers.
 */
import type { EngineEvent } from '../../core/events';
import type { TraceMatrix } from '../../core/trace/matrix';
import type { BlockView, RunView, TraceView } from '../../shared/viewState';

/** Lists are capped: the matrix of a large spec must not make every state post heavy. */
const MAX_LIST = 20;

export function traceViewOf(matrix: TraceMatrix): TraceView {
  const cap = (items: readonly string[]) => (items.length > MAX_LIST ? [...items.slice(0, MAX_LIST), `… ${items.length - MAX_LIST} more`] : [...items]);
  return {
    specId: matrix.specId,
    rows: matrix.rows.map((row) => ({
      requirement: row.requirement,
      requirementTitle: row.requirementTitle,
      criterion: row.criterion,
      criterionText: row.criterionText,
      tasks: cap(row.tasks),
      files: cap(row.files),
      validation: cap(row.validation),
      review: row.review,
      tests: cap(row.tests),
      gaps: [...row.gaps],
      ...(row.changes.length > 0 ? { changes: [...row.changes] } : {}),
    })),
    requirementsWithoutFile: [...matrix.requirementsWithoutFile],
    criteriaWithoutTest: [...matrix.criteriaWithoutTest],
  };
}

type TraceEvent = Extract<EngineEvent, { type: 'trace.updated' | 'block.reported' | 'block.resolved' }>;

export function applyTraceEvent(run: RunView, event: TraceEvent): RunView {
  switch (event.type) {
    case 'trace.updated':
      return { ...run, trace: traceViewOf(event.matrix) };
    case 'block.reported': {
      const block: BlockView = { block: event.block, from: event.from, to: event.to, request: event.request, status: 'open' };
      return { ...run, blocks: [...(run.blocks ?? []).filter((b) => b.block !== event.block), block] };
    }
    case 'block.resolved':
      return { ...run, blocks: (run.blocks ?? []).map((b) => (b.block === event.block ? { ...b, status: 'resolved' as const } : b)) };
  }
}
