/**
 * A section of the sidebar: picks its slice of the view model and renders it. The app only
 * re-renders a section when its slice changed, so typing in the feedback box or an open
 * <details> survives the frequent state updates of a running run.
 */
import type { ViewState, WebviewMessage } from '../src/shared/protocol.js';
import { h } from './dom.js';
import type { UiState } from './vscodeApi.js';

export interface Ctx {
  post(message: WebviewMessage): void;
  ui: UiState;
  saveUi(): void;
}

export interface Section<S> {
  id: string;
  select(state: ViewState): S;
  render(slice: S, ctx: Ctx): Node | null;
}

/** A vscode-collapsible whose open/closed state is remembered across reloads. */
export function collapsible(
  ctx: Ctx,
  key: string,
  heading: string,
  defaultOpen: boolean,
  children: Node[],
  description?: string,
): HTMLElement {
  const open = ctx.ui.open[key] ?? defaultOpen;
  return h('vscode-collapsible', { heading, description, open, 'data-testid': `section-${key}` }, children, {
    'vsc-collapsible-toggle': (e) => {
      ctx.ui.open[key] = (e as CustomEvent<{ open: boolean }>).detail.open;
      ctx.saveUi();
    },
  });
}
