/** Builds elements from trusted structure and untrusted text: text is always a text node, never HTML. */
export type Child = Node | string | false | undefined | null;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | ((event: Event) => void)> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (typeof value === 'function') el.addEventListener(key.replace(/^on/, ''), value);
    else if (value === true) el.setAttribute(key, '');
    else if (value !== false) el.setAttribute(key, value);
  }
  for (const child of children) if (child !== false && child !== undefined && child !== null) el.append(child);
  return el;
}

export function show(root: HTMLElement, ...children: Child[]): void {
  root.replaceChildren(...children.filter((c): c is Node | string => c !== false && c !== undefined && c !== null));
}

/** A field of a submitted form, as text. */
export const field = (data: FormData, name: string) => String(data.get(name) ?? '');
