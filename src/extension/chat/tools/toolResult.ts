/** A tool's result: one text part holding the JSON (docs/vscode.md "In VS Code's chat", issue 38). */
import * as vscode from 'vscode';

export const toolResult = (value: unknown): vscode.LanguageModelToolResult =>
  new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(JSON.stringify(value))]);
