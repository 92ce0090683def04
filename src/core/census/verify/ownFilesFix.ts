import { filesNamed, isOurFile } from '../../project/ownFiles';

/**
 * A check that fails only on our files (every file its output names is ours): what to change, for
 * init to say with the comment it writes. A run would stop at it at once (pipeline/kernel/ownFiles.ts).
 */
export function ownFilesFix(output: string, cwd: string): { fix?: string } {
  const named = filesNamed(output, cwd);
  if (named.length === 0 || !named.every(isOurFile)) return {};
  const shown = named.slice(0, 3).join(', ') + (named.length > 3 ? ` and ${named.length - 3} more` : '');
  return {
    fix: `it fails only on Orchestrator's own files (${shown}): leave \`.claude/\` and \`spec/\` out through its ignore file or option (\`.prettierignore\`, ESLint's \`ignores\`, \`.markdownlintignore\`), then \`orchestrator init --force\``,
  };
}
