/** The commands of an issue's or a pull request's comment (issue 39, docs/github.md "On the issue"). */

export type Command =
  | { kind: 'start'; run: 'feature' | 'bugfix' }
  | { kind: 'approve' }
  | { kind: 'changes'; text: string }
  | { kind: 'cancel' }
  | { kind: 'change'; text: string }
  // A waiting confirmation's answer (issue 44).
  | { kind: 'allow' }
  | { kind: 'deny' };

/** The command a comment's first line gives, if any. */
export function commandOf(body: string): Command | undefined {
  const line = body.trim().split('\n')[0]!.trim();
  const rest = body.trim().slice(line.length).trim();
  let m: RegExpExecArray | null;
  if ((m = /^\/orchestrator\s+(feature|bugfix)\b/i.exec(line)))
    return { kind: 'start', run: m[1]!.toLowerCase() as 'feature' | 'bugfix' };
  if ((m = /^\/orchestrator\s+change\b\s*(.*)$/i.exec(line)))
    return { kind: 'change', text: [m[1], rest].filter(Boolean).join('\n').trim() };
  if (/^\/approve\b/i.test(line)) return { kind: 'approve' };
  if ((m = /^\/changes\b\s*(.*)$/i.exec(line)))
    return { kind: 'changes', text: [m[1], rest].filter(Boolean).join('\n').trim() };
  if (/^\/cancel\b/i.test(line)) return { kind: 'cancel' };
  if (/^\/allow\b/i.test(line)) return { kind: 'allow' };
  if (/^\/deny\b/i.test(line)) return { kind: 'deny' };
  return undefined;
}
