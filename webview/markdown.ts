/**
 * Spec and report markdown → sanitized HTML. marked does not sanitize; DOMPurify does, and
 * inline styles are dropped as well because the CSP would block them anyway.
 */
import DOMPurify from 'dompurify';
import { marked } from 'marked';

/** The spec's YAML front matter is metadata, shown elsewhere; keep it out of the body. */
const stripFrontMatter = (md: string): string => md.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n?/, '');

export function renderMarkdown(target: HTMLElement, markdown: string): HTMLElement {
  const html = marked.parse(stripFrontMatter(markdown), { async: false, gfm: true });
  target.innerHTML = DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'button', 'iframe'],
    FORBID_ATTR: ['style'],
  });
  // A task list's checkboxes (read-only) are named after their item, so a screen reader says which.
  target.querySelectorAll<HTMLInputElement>('li > input[type="checkbox"]').forEach((box) => {
    const item = box.parentElement?.textContent?.trim().slice(0, 200) ?? '';
    box.setAttribute('aria-label', `${item} (${box.checked ? 'done' : 'to do'})`);
  });
  return target;
}
