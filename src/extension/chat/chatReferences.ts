/**
 * The chat's references (`#file`, a selection, an issue link) as context for UNDERSTAND: a
 * section appended to the request the engine receives, so the spec agent reads them with it. No
 * second input path into the engine: the request is the one text every host passes. Bounded.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';

const MAX_SELECTION = 4_000;
const MAX_REFERENCES = 20;

function relativeTo(workspace: string, uri: vscode.Uri): string {
  if (uri.scheme !== 'file') return uri.toString();
  const rel = path.relative(workspace, uri.fsPath);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : uri.fsPath;
}

async function selectionText(location: vscode.Location): Promise<string> {
  try {
    const doc = await vscode.workspace.openTextDocument(location.uri);
    const text = doc.getText(location.range);
    return text.length > MAX_SELECTION ? `${text.slice(0, MAX_SELECTION)}\n…` : text;
  } catch {
    return '';
  }
}

/** One line (or a fenced selection) per reference; undefined for a value we do not know. */
async function describe(workspace: string, value: unknown): Promise<string | undefined> {
  if (value instanceof vscode.Uri) return `- file: ${relativeTo(workspace, value)}`;
  if (value instanceof vscode.Location) {
    const where = `${relativeTo(workspace, value.uri)} lines ${value.range.start.line + 1}-${value.range.end.line + 1}`;
    const text = await selectionText(value);
    return text
      ? `- selection: ${where}\n\`\`\`\`\n${text.replace(/````/g, '` ` ` `')}\n\`\`\`\``
      : `- selection: ${where}`;
  }
  if (typeof value === 'string' && value.trim())
    return `- ${/^https?:\/\//.test(value.trim()) ? 'link' : 'note'}: ${value.trim().slice(0, 2_000)}`;
  return undefined;
}

/** `prompt` with the references' section, or `prompt` alone when there is none. */
export async function withReferences(
  prompt: string,
  references: readonly vscode.ChatPromptReference[],
  workspace: string,
): Promise<string> {
  const lines = (
    await Promise.all(references.slice(0, MAX_REFERENCES).map((r) => describe(workspace, r.value)))
  ).filter((l): l is string => l !== undefined);
  // An issue link written in the prompt itself is context too (it is already in the text: nothing to add).
  return lines.length === 0 ? prompt : `${prompt}\n\nContext the user attached in the chat:\n${lines.join('\n')}`;
}
