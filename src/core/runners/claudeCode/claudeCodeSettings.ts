/**
 * Claude Code's own controls, so a violation is prevented and not only undone (the owns gate
 * after the agent stops stays the authority): permission deny rules for protected paths and
 * for reading what the privacy rules deny, and a PreToolUse hook that refuses a write outside
 * the layer's `owns` at once, naming the rule (docs/runners.md: both produce an error tool
 * result the model sees). Read-only roles get no editing tools at all.
 */
import { join } from 'node:path';
import { PROTECTED_GLOBS } from '../../project/config';
import { userHomeOf, type SignIn } from '../cliAgent/privateHome';

export { writeRefusal } from '../cliAgent/writeRefusal';

/** The tools that change files (Bash is gated after the fact, by the owns gate). */
export const EDIT_TOOLS = ['Write', 'Edit', 'MultiEdit', 'NotebookEdit'] as const;

/** Tools that reach the network or start other agents: none of them has a place in a layer's work. */
export const NEVER_TOOLS = ['WebFetch', 'WebSearch'];

/** `permissions.deny` rules: protected paths for every edit tool, denied files for reading too. */
export function denyRules(deny: readonly string[]): string[] {
  const anywhere = (pattern: string) =>
    pattern.startsWith('**/') || pattern.startsWith('/') ? pattern.replace(/^\/+/, '') : `**/${pattern}`;
  const protectedRules = PROTECTED_GLOBS.flatMap((glob) => ['Edit', 'Write'].map((tool) => `${tool}(./${glob})`));
  const secretRules = deny.flatMap((pattern) =>
    ['Read', 'Edit', 'Write'].map((tool) => `${tool}(${anywhere(pattern)})`),
  );
  return [...protectedRules, ...secretRules];
}

/** Absolute-path deny rules (`//path`, Claude Code's form) for what an agent never reads nor writes: the user's checkout, its home's secrets (a file or a folder). */
export function outsideRules(paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    const clean = path.replace(/\/+$/, '');
    return ['Read', 'Edit', 'Write'].flatMap((tool) => [`${tool}(/${clean})`, `${tool}(/${clean}/**)`]);
  });
}

/** The path a file tool's input names (NotebookEdit says notebook_path). */
export function filePathOf(input: unknown): unknown {
  const record = (input ?? {}) as Record<string, unknown>;
  return record.file_path ?? record.notebook_path ?? record.path;
}

/**
 * Claude Code's sign-in, for the agent's private home: its credentials file (a subscription's
 * OAuth tokens) and, of ~/.claude.json, only the account it signed in with (the rest there is
 * every project's history and settings). CLAUDE_CONFIG_DIR moves both.
 */
export const claudeSignIn: SignIn = (from) => {
  const dir = from.CLAUDE_CONFIG_DIR || join(userHomeOf(from), '.claude');
  const state = from.CLAUDE_CONFIG_DIR ? join(dir, '.claude.json') : join(userHomeOf(from), '.claude.json');
  return [
    { from: join(dir, '.credentials.json'), to: '.claude/.credentials.json' },
    {
      from: state,
      to: '.claude.json',
      keys: [
        'oauthAccount',
        'userID',
        'primaryApiKey',
        'customApiKeyResponses',
        'hasCompletedOnboarding',
        'lastOnboardingVersion',
      ],
    },
  ];
};
