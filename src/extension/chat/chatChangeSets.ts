/**
 * The change-sets in the chat (`/status`, issue 73): each one run, its status and spend against its
 * one budget, then one line per member, producers first, in the words the sidebar and the portal
 * use (shared/changeSetView.ts). A request, a member's name or a reason is untrusted: escaped.
 */
import { type ChangeSetView, memberMark, memberWords, setSpendWords, setStatusWords } from '../../shared/changeSetView';
import { codeSpan, escapeInline } from './markdown';

export function changeSetMarkdown(sets: readonly ChangeSetView[]): string {
  return sets
    .map((set) =>
      [
        `- **Change-set ${escapeInline(set.request, 120)}** (${codeSpan(set.setId)}): ${escapeInline(setStatusWords(set), 200)} · ${setSpendWords(set)}\n`,
        ...set.members.map(
          (m, i) =>
            `  ${i + 1}. ${memberMark(m)} ${escapeInline(memberWords(m), 300)}${m.reason ? `: ${escapeInline(m.reason, 300)}` : ''}\n`,
        ),
      ].join(''),
    )
    .join('');
}
