/**
 * A run's attempts (issue 47): each layer tried in attempts, its attempts side by side — runner and
 * model, proof tests green, validation, retries, cost, time, diff stat — the one in the run marked
 * with why, each attempt's diff on demand, and Use this attempt on the others that passed their
 * validation while the run can still take one. Everything shown is text (runner names, errors,
 * patches): never HTML, never a link.
 */
import {
  attemptRefusal,
  layerSwapClosed,
  runnerPickText,
  type AttemptCardView,
  type AttemptDiffView,
  type AttemptFileView,
  type LayerAttemptsView,
  type RunView,
} from '../../src/shared/protocol.js';
import { badge, button, h } from '../dom.js';
import type { Ctx, Section } from '../section.js';

type AttemptsRun = Pick<RunView, 'runId' | 'status' | 'phase' | 'pooled' | 'attempts' | 'attemptDiffs'>;

const usd = (n: number): string => `$${n.toFixed(n < 0.1 ? 4 : 2)}`;

/** The figures the pick reads, in its order, then the attempt's size. */
function figures(a: AttemptCardView): [string, string][] {
  if (a.state === 'skipped') return [['validate', 'not started']];
  if (a.state === 'running') return [['validate', 'running']];
  return [
    // No proof test is due for an attempt when a layer of its wave cites the same criteria (docs/attempts.md).
    ['proof', a.proofTotal ? `${a.proofGreen ?? 0}/${a.proofTotal}` : 'none due'],
    ['validate', a.validate ?? '—'],
    ['retries', String(a.retries ?? 0)],
    ['cost', usd(a.costUsd ?? 0)],
    ['time', `${((a.durationMs ?? 0) / 1000).toFixed(1)} s`],
    [
      'diff',
      a.diff ? `${a.diff.files} file${a.diff.files === 1 ? '' : 's'} +${a.diff.insertions} −${a.diff.deletions}` : '—',
    ],
  ];
}

/** A patch's hunks line by line, each marked as added, removed or a hunk's head, as text (git's header above them says what the file's head says). */
function patchLines(file: AttemptFileView): HTMLElement {
  const lines = file.patch.split('\n');
  const hunks = lines.slice(
    Math.max(
      0,
      lines.findIndex((line) => line.startsWith('@@')),
    ),
  );
  const kind = (line: string): string =>
    line.startsWith('@@') ? 'hunk' : line.startsWith('+') ? 'add' : line.startsWith('-') ? 'del' : 'ctx';
  return h(
    'pre',
    { class: 'diff' },
    hunks.map((line) => h('span', { class: `diff-line ${kind(line)}` }, [`${line}\n`])),
  );
}

function diffBox(diff: AttemptDiffView | undefined): HTMLElement {
  if (!diff) return h('p', { class: 'muted' }, ['Reading the diff…']);
  if (diff.files.length === 0) return h('p', { class: 'muted' }, ['No file changed.']);
  return h('div', { class: 'attempt-files' }, [
    ...diff.files.map((file) =>
      h(
        'div',
        { class: 'attempt-file', 'data-testid': 'attempt-file', 'data-path': file.path, 'data-status': file.status },
        [
          h('div', { class: 'attempt-file-head' }, [
            h('code', {}, [file.path]),
            h('span', { class: 'muted' }, [` ${file.status} +${file.insertions} −${file.deletions}`]),
          ]),
          file.binary ? h('p', { class: 'muted' }, ['A binary file.']) : patchLines(file),
          file.clipped
            ? h('p', { class: 'muted' }, ["… cut here: `git diff` of the attempt's refs shows the whole."])
            : null,
        ],
      ),
    ),
    diff.more ? h('p', { class: 'muted' }, [`… and ${diff.more} more file${diff.more === 1 ? '' : 's'}.`]) : null,
  ]);
}

function card(run: AttemptsRun, layer: LayerAttemptsView, a: AttemptCardView, ctx: Ctx): HTMLElement {
  const runId = run.runId!;
  const key = `attempt-diff:${runId}/${layer.layer}/${a.k}`;
  const shown = run.attemptDiffs?.find((d) => d.layer === layer.layer && d.k === a.k);
  const open = ctx.ui.open[key] ?? false;
  const diff =
    a.state === 'judged'
      ? h(
          'details',
          { class: 'attempt-diff', 'data-testid': 'attempt-diff', open },
          [h('summary', {}, ['Diff']), open ? diffBox(shown) : null],
          {
            toggle: (e) => {
              const details = e.currentTarget as HTMLDetailsElement;
              if (details.open === (ctx.ui.open[key] ?? false)) return;
              ctx.ui.open[key] = details.open;
              ctx.saveUi();
              if (!details.open) return;
              details.append(diffBox(shown));
              // Read once; the host keeps it with the run.
              if (!shown) ctx.post({ type: 'attemptDiff', runId, layer: layer.layer, k: a.k });
            },
          },
        )
      : null;
  const usable = attemptRefusal(run, layer, a.k) === undefined;
  return h(
    'div',
    {
      class: `attempt${a.picked ? ' picked' : ''}`,
      'data-testid': 'attempt-card',
      'data-k': a.k,
      'data-state': a.state,
      'data-validate': a.validate ?? '',
      ...(a.picked ? { 'data-picked': '' } : {}),
    },
    [
      h('div', { class: 'attempt-head' }, [
        h('span', { class: 'title' }, [`Attempt ${a.k}`]),
        a.picked
          ? badge(layer.picked?.by === 'person' ? 'used' : 'kept', { 'data-testid': 'attempt-kept-badge' })
          : null,
      ]),
      a.state === 'skipped' ? null : h('div', { class: 'muted runner', title: runnerPickText(a) }, [runnerPickText(a)]),
      h(
        'dl',
        { class: 'figures' },
        figures(a).flatMap(([name, value]) => [h('dt', {}, [name]), h('dd', { 'data-figure': name }, [value])]),
      ),
      a.error
        ? h('div', { class: 'error attempt-error', 'data-testid': 'attempt-error', title: a.error }, [a.error])
        : null,
      a.reason ? h('div', { class: 'muted' }, [a.reason]) : null,
      diff,
      usable
        ? h('div', { class: 'toolbar small' }, [
            button(
              `btn-use-attempt-${layer.layer}-${a.k}`,
              'Use this attempt',
              () => ctx.post({ type: 'useAttempt', runId, layer: layer.layer, k: a.k }),
              {
                secondary: true,
                title: `Put attempt ${a.k} in the run instead of attempt ${layer.picked?.k ?? '(none yet)'}; the layers built on ${layer.layer} run again`,
              },
            ),
          ])
        : null,
    ],
  );
}

function layerBlock(run: AttemptsRun, layer: LayerAttemptsView, ctx: Ctx): HTMLElement {
  const ran = layer.attempts.filter((a) => a.state !== 'skipped').length;
  const closed = layerSwapClosed(run, layer);
  const others = layer.attempts.some((a) => a.state === 'judged' && a.validate === 'passed' && !a.picked);
  return h('div', { class: 'attempt-layer', 'data-testid': 'attempt-layer', 'data-layer': layer.layer }, [
    h('div', { class: 'attempt-layer-head' }, [
      h('span', { class: 'name' }, [layer.layer]),
      h('span', { class: 'muted' }, [
        ` ${ran === layer.of ? `${ran} attempts` : `${ran} of ${layer.of} attempts ran`}`,
      ]),
    ]),
    layer.picked
      ? h('p', { class: 'attempt-why', 'data-testid': 'attempt-why' }, [
          `${layer.picked.by === 'person' ? 'Used' : 'Kept'}: attempt ${layer.picked.k} — ${layer.picked.why}`,
        ])
      : null,
    h(
      'div',
      { class: 'attempt-cards' },
      layer.attempts.map((a) => card(run, layer, a, ctx)),
    ),
    closed && others ? h('p', { class: 'muted', 'data-testid': 'attempt-closed' }, [closed]) : null,
  ]);
}

/** The attempts of a run's layers; null when it tried none in attempts. */
export function renderAttempts(run: AttemptsRun, ctx: Ctx): HTMLElement | null {
  if (!run.runId || !run.attempts?.length) return null;
  return h(
    'div',
    { class: 'attempts', 'data-testid': 'attempts', 'data-run-id': run.runId },
    run.attempts.map((layer) => layerBlock(run, layer, ctx)),
  );
}

export const attemptsPanel: Section<AttemptsRun | undefined> = {
  id: 'attempts',
  select: (s) => {
    if (!s.run?.attempts?.length) return undefined;
    const { runId, status, phase, pooled, attempts, attemptDiffs } = s.run;
    return { runId, status, phase, pooled, attempts, attemptDiffs };
  },
  render(run, ctx) {
    const attempts = run && renderAttempts(run, ctx);
    return attempts
      ? h('section', { id: 'attempts-panel', 'data-testid': 'attempts-panel' }, [h('h2', {}, ['Attempts']), attempts])
      : null;
  },
};
