/**
 * A tiny DOM builder. Text always goes in as text nodes, never as HTML, so engine data
 * (file names, errors, review text) cannot inject markup; only markdown.ts sets innerHTML,
 * with sanitized output.
 */
export type AttrValue = string | number | boolean | undefined | null;
export type Child = Node | string | number | null | undefined | false;

export function h(
  tag: string,
  attrs: Record<string, AttrValue> = {},
  children: Child[] = [],
  on: Record<string, (event: Event) => void> = {},
): HTMLElement {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'number' ? String(child) : child);
  }
  for (const [type, listener] of Object.entries(on)) el.addEventListener(type, listener);
  return el;
}

/** A vscode-button; `id` doubles as data-testid so tests have one stable handle. */
export function button(
  id: string,
  label: string,
  onClick: () => void,
  opts: { secondary?: boolean; disabled?: boolean; title?: string } = {},
): HTMLElement {
  return h(
    'vscode-button',
    { id, 'data-testid': id, secondary: opts.secondary, disabled: opts.disabled, title: opts.title },
    [label],
    {
      click: () => {
        if (!opts.disabled) onClick();
      },
    },
  );
}

/** Makes a non-button element clickable with mouse and keyboard. */
export function clickable(el: HTMLElement, onActivate: () => void): HTMLElement {
  el.setAttribute('role', 'button');
  el.tabIndex = 0;
  el.addEventListener('click', onActivate);
  el.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onActivate();
    }
  });
  return el;
}

export const badge = (text: string, attrs: Record<string, AttrValue> = {}): HTMLElement =>
  h('vscode-badge', attrs, [text]);
