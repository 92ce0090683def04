/** How the portal says times and statuses to people: local, readable times (the ISO kept in `datetime` and `title`), words for statuses. */
import { h } from './dom';

const STATUS_WORDS: Record<string, string> = {
  review_pending: 'waiting for review',
  pending: 'open',
  claimed: 'claimed',
  in_progress: 'in progress',
  rejected: 'changes requested',
  approved: 'approved',
  done: 'done',
  'awaiting-approval': 'waiting for approval',
  saved: 'saved for later',
};

export const statusWords = (status: string): string => STATUS_WORDS[status] ?? status.replace(/[_-]/g, ' ');

const LOCAL = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A `<time>` showing the local date and time; the exact ISO time on hover and in `datetime`. */
export function timeEl(iso: string): HTMLTimeElement {
  const at = new Date(iso);
  return h('time', { datetime: iso, title: iso }, Number.isNaN(at.getTime()) ? iso : LOCAL.format(at));
}

let nextId = 0;
/** A form control with a visible label tied to it (`for`/`id`), so each box says what it is for. */
export function labelled<T extends HTMLElement>(text: string, control: T, hint?: string): HTMLElement {
  const id = control.id || `field-${++nextId}`;
  control.id = id;
  const hintEl = hint ? h('span', { class: 'muted hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: id }, text), hintEl, control);
}
