/**
 * Initialize Workspace: the census's proposal, a row per layer with its owns, its commands and
 * their verification results. Each layer can be renamed, its owns and commands edited (one per
 * line) or the layer dropped; Accept writes .claude/orchestrator.yaml from what is left.
 */
import type { AcceptedLayer, InitProposalView, ProposedLayerView } from '../../src/shared/protocol.js';
import { badge, button, h } from '../dom.js';
import { collapsible, type Ctx, type Section } from '../section.js';

type Field = HTMLElement & { value: string; invalid: boolean };

const STATUS: Record<string, string> = {
  passed: 'passed',
  failed: 'fails before any change',
  'missing-tool': 'tool missing',
  'timed-out': 'timed out',
  skipped: 'kept unverified',
  'not-verified': 'not verified',
  running: 'running…',
};
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

interface Row {
  layer: ProposedLayerView;
  name: Field;
  owns: Field;
  validate: Field;
  dropped: boolean;
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');

function layerRow(layer: ProposedLayerView, rows: Row[]): HTMLElement {
  const name = h('vscode-textfield', {
    value: layer.name,
    'data-testid': `init-name-${layer.name}`,
    'aria-label': `name of layer ${layer.name}`,
  }) as Field;
  const owns = h('vscode-textarea', {
    value: layer.owns.join('\n'),
    rows: Math.min(6, Math.max(2, layer.owns.length)),
    resize: 'vertical',
    'data-testid': `init-owns-${layer.name}`,
    'aria-label': `owns of ${layer.name}, one glob per line`,
  }) as Field;
  const validate = h('vscode-textarea', {
    value: layer.commands
      .filter((c) => c.status !== 'failed' && c.status !== 'missing-tool')
      .map((c) => c.command)
      .join('\n'),
    rows: Math.max(2, layer.commands.length),
    resize: 'vertical',
    'data-testid': `init-validate-${layer.name}`,
    'aria-label': `validate commands of ${layer.name}, one per line`,
  }) as Field;
  // Some vscode elements read `value` as a property, not the attribute.
  owns.value = layer.owns.join('\n');
  validate.value = validate.getAttribute('value') ?? '';
  name.value = layer.name;
  const row: Row = { layer, name, owns, validate, dropped: false };
  rows.push(row);
  const card = h('div', { class: 'init-layer', 'data-testid': `init-layer-${layer.name}` }, []);
  const drop = button(
    `btn-init-drop-${layer.name}`,
    'Drop',
    () => {
      row.dropped = !row.dropped;
      card.classList.toggle('dropped', row.dropped);
      drop.textContent = row.dropped ? 'Keep' : 'Drop';
    },
    { secondary: true },
  );
  const results = commandList(layer);
  card.append(
    h('div', { class: 'toolbar' }, [
      name,
      layer.role ? badge(layer.role) : null,
      layer.after.length > 0 ? h('span', { class: 'muted' }, [`after ${layer.after.join(', ')}`]) : null,
      drop,
    ]),
    h('label', { class: 'muted' }, ['owns (one glob per line)']),
    owns,
    h('label', { class: 'muted' }, ['validate (one command per line; failing ones are left out)']),
    validate,
    results,
  );
  return card;
}

/** Each command with how its verification went (or goes: `running…`). */
function commandList(layer: ProposedLayerView): HTMLElement {
  return h(
    'ul',
    { class: 'list init-commands' },
    layer.commands.map((c) =>
      h('li', { 'data-testid': 'init-command', 'data-status': c.status }, [
        h('code', {}, [c.command]),
        ' ',
        badge(STATUS[c.status] ?? c.status),
        h('div', { class: 'muted', title: c.detail }, [
          `from ${c.origin}${['passed', 'not-verified', 'running'].includes(c.status) ? '' : ` — ${c.detail.split('\n')[0]}`}`,
        ]),
        c.status === 'failed' ? h('pre', { class: 'init-error' }, [c.detail.split('\n').slice(1).join('\n')]) : null,
      ]),
    ),
  );
}

/** The layers the census found no check for, first: what it read for each and what it could not read or use. */
function remainderList(init: InitProposalView): HTMLElement[] {
  if (init.remainders.length === 0) return [];
  return [
    h('div', { class: 'warn', 'data-testid': 'init-remainders' }, [
      h('p', {}, ['No check found for these layers: add a command CI accepts, or the layer runs unchecked.']),
      ...init.remainders.map((r) =>
        h('div', { 'data-testid': `init-remainder-${r.layer}` }, [
          h('strong', {}, [`${r.layer} (${r.dirs})`]),
          h(
            'ul',
            { class: 'list' },
            r.lines.map((line) => h('li', { class: 'muted' }, [line])),
          ),
        ]),
      ),
    ]),
  ];
}

function accept(rows: Row[], ctx: Ctx): void {
  const layers: AcceptedLayer[] = [];
  for (const row of rows) {
    if (row.dropped) continue;
    const name = row.name.value.trim();
    if (!NAME.test(name)) {
      row.name.invalid = true;
      row.name.focus();
      return;
    }
    const owns = lines(row.owns.value);
    if (owns.length === 0) {
      row.owns.invalid = true;
      row.owns.focus();
      return;
    }
    layers.push({ from: row.layer.name, name, owns, validate: lines(row.validate.value) });
  }
  if (layers.length > 0) ctx.post({ type: 'initAccept', layers });
}

export const initProposal: Section<InitProposalView | undefined> = {
  id: 'init',
  select: (s) => s.init,
  render(init, ctx) {
    if (!init) return null;
    if (init.status === 'taking')
      return collapsible(ctx, 'init', 'Initialize Workspace', true, [
        h('p', { 'data-testid': 'init-taking' }, [`Taking a census of ${init.workspace}…`]),
      ]);
    // The proposal as the census made it, each command's verification as it goes: read-only until it ends,
    // so an edit is never redrawn away under the user (issue 70).
    if (init.status === 'verifying')
      return collapsible(
        ctx,
        'init',
        'Initialize Workspace',
        true,
        [
          ...remainderList(init),
          h('p', { 'data-testid': 'init-verifying' }, [
            'Running each proposed command once in a throwaway worktree. Cancel (in the notification) keeps what is verified and the rest unverified.',
          ]),
          ...init.layers.map((layer) =>
            h('div', { class: 'init-layer', 'data-testid': `init-layer-${layer.name}` }, [
              h('div', { class: 'toolbar' }, [
                h('strong', {}, [layer.name]),
                h('span', { class: 'muted' }, [layer.owns.join(' ')]),
              ]),
              commandList(layer),
            ]),
          ),
        ],
        init.workspace,
      );
    const rows: Row[] = [];
    const summary = `${init.ownedFiles} of ${init.sourceFiles} source files owned by ${init.layers.length} layer${init.layers.length === 1 ? '' : 's'}${init.unowned.length > 0 ? `; not owned: ${init.unowned.slice(0, 5).join(', ')}${init.unowned.length > 5 ? ', …' : ''}` : ''}.`;
    const body = [
      ...remainderList(init),
      h('p', { 'data-testid': 'init-summary' }, [summary]),
      init.configExists
        ? h('p', { class: 'warn' }, [
            '.claude/orchestrator.yaml exists: accepting replaces it and keeps the old one as .bak.',
          ])
        : null,
      ...init.layers.map((layer) => layerRow(layer, rows)),
      init.schema.length > 0 ? h('p', { class: 'muted' }, [`schema: ${init.schema.join(', ')}`]) : null,
      ...init.warnings.map((w) => h('p', { class: 'muted' }, [w])),
      h('div', { class: 'toolbar' }, [
        button(
          'btn-init-accept',
          init.status === 'writing' ? 'Writing…' : 'Accept and Write',
          () => accept(rows, ctx),
          { disabled: init.status === 'writing' || init.layers.length === 0 },
        ),
        button('btn-init-cancel', 'Dismiss', () => ctx.post({ type: 'initCancel' }), { secondary: true }),
      ]),
    ].filter((n): n is HTMLElement => n !== null);
    return collapsible(ctx, 'init', 'Initialize Workspace', true, body, init.workspace);
  },
};
