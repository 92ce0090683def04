/**
 * Spec and report markdown → sanitized HTML. Spec text comes from a model, an imported folder or
 * a request: its links, images and HTML are shown as text (a webview opens a clicked link, and an
 * image would be fetched). marked does not sanitize; DOMPurify does too, and inline styles are
 * dropped as well because the CSP would block them anyway.
 */
import DOMPurify from 'dompurify';
import { Marked } from 'marked';

/** The spec's YAML front matter is metadata, shown elsewhere; keep it out of the body. */
const stripFrontMatter = (md: string): string => md.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n?/, '');

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const inert = new Marked({
  gfm: true,
  renderer: {
    // A link is its text; its target is shown after it, as text, so a reader still sees where it pointed.
    link({ tokens, href, text }) {
      const shown = this.parser.parseInline(tokens);
      return href === text || href === `mailto:${text}` ? shown : `${shown} (${escapeHtml(href)})`;
    },
    image({ text, href }) {
      return escapeHtml(`[image: ${text || href}]`);
    },
    html({ text }) {
      return escapeHtml(text);
    },
  },
});

/** Markdown → HTML with no live link, image or raw HTML (pure: unit-tested without a DOM). */
export function inertHtml(markdown: string): string {
  return inert.parse(stripFrontMatter(markdown), { async: false });
}

export function renderMarkdown(target: HTMLElement, markdown: string): HTMLElement {
  target.innerHTML = DOMPurify.sanitize(inertHtml(markdown), {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'button', 'iframe', 'img', 'a'],
    FORBID_ATTR: ['style'],
  });
  // A task list's checkboxes (read-only) are named after their item, so a screen reader says which.
  target.querySelectorAll<HTMLInputElement>('li > input[type="checkbox"]').forEach((box) => {
    const item = box.parentElement?.textContent?.trim().slice(0, 200) ?? '';
    box.setAttribute('aria-label', `${item} (${box.checked ? 'done' : 'to do'})`);
  });
  return target;
}
