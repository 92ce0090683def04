/** Transient one-line notices from the host (not part of the view model). */
import { h } from '../dom.js';

const NOTICE_MS = 8000;
let timer: ReturnType<typeof setTimeout> | undefined;

export function showNotice(container: HTMLElement, level: 'info' | 'warn' | 'error', text: string): void {
  clearTimeout(timer);
  container.replaceChildren(
    h('div', { id: 'notice', 'data-testid': 'notice', class: `banner ${level}`, role: 'status' }, [text]),
  );
  timer = setTimeout(() => container.replaceChildren(), NOTICE_MS);
}
