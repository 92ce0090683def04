/**
 * The Gemini CLI's own controls for one agent, as an admin-tier policy file (`--admin-policy`,
 * docs/runners.md "Gemini CLI"): admin rules outrank the user's, the workspace's and YOLO mode's,
 * so the model's `write_file` / `replace` is refused at once (with a message it reads) outside the
 * layer's `owns` or on a protected path, and its web tools are off. A read-only role may not edit
 * at all; its shell commands run, but one that redirects output asks first, which a headless run
 * refuses. Our owns gate after the turn stays the authority (shell commands are not confined).
 */
import { PROTECTED_GLOBS } from '../../project/config';

/** Gemini CLI's tools that write a file (`file_path` in their arguments). */
export const GEMINI_EDIT_TOOLS = ['write_file', 'replace'] as const;

/** Tools that reach the network: none of them has a place in a layer's work. */
export const GEMINI_WEB_TOOLS = ['web_fetch', 'google_web_search'] as const;

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** `{a,b}` alternatives spelled out (innermost first), so each becomes a rule of its own; at most 32. */
export function expandBraces(glob: string): string[] {
  const out: string[] = [];
  const pending = [glob];
  while (pending.length > 0 && out.length + pending.length <= 32) {
    const next = pending.shift()!;
    const brace = /\{([^{}]*)\}/.exec(next);
    if (!brace || !brace[1]!.includes(',')) out.push(next);
    else
      for (const option of brace[1]!.split(','))
        pending.push(next.slice(0, brace.index) + option + next.slice(brace.index + brace[0].length));
  }
  // Too many to spell out: the glob as it is (its literal folder stands for it).
  return pending.length > 0 ? [glob] : out;
}

/**
 * A workspace glob as a regular expression over a path inside a JSON string (no `"` in it):
 * `**` any depth, `*` and `?` within one name. Classes (and braces left after expandBraces) are
 * not translated: the glob's literal folder stands for it (wider: our owns gate still narrows it). Gemini
 * drops a pattern it suspects of ReDoS (any group followed by a quantifier), so optional parts
 * are written as alternatives with an empty branch.
 */
export function globSource(glob: string): string {
  const wild = glob.search(/[[{]/);
  if (wild !== -1) {
    const folder = glob.slice(0, wild).replace(/[^/]*$/, '');
    return `${escapeRegex(folder)}[^"]*`;
  }
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      out += slash ? '([^"]*/|)' : '[^"]*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/"]*';
    else if (c === '?') out += '[^/"]';
    else out += escapeRegex(c);
  }
  return out;
}

/**
 * `argsPattern` for a file tool whose `file_path` (relative to the worktree, `./…`, or absolute
 * inside it) matches `glob`; `anywhere` lets it match below any folder.
 */
export function filePathPattern(cwd: string, glob: string, anywhere = false): string {
  return `"file_path":"(${escapeRegex(cwd)}/|\\./|)${anywhere ? '([^"]*/|)' : ''}${globSource(glob)}"`;
}

/*
 * Priorities: 990 refusals that always hold, 940 the owned paths, 900 the rest. Not x.950: Gemini
 * reads that fraction as a user's "always allow" rule and drops it when those are disabled.
 */
interface Rule {
  toolName: string | readonly string[];
  decision: 'allow' | 'deny';
  priority: number;
  argsPattern?: string;
  denyMessage?: string;
}

/** A TOML basic string: JSON's escapes are TOML's for what a path, pattern or message holds. */
const tomlString = (value: string): string => JSON.stringify(value);

function toml(rules: readonly Rule[]): string {
  return rules
    .map((rule) => {
      const lines = ['[[rule]]'];
      lines.push(
        `toolName = ${typeof rule.toolName === 'string' ? tomlString(rule.toolName) : `[${rule.toolName.map(tomlString).join(', ')}]`}`,
      );
      if (rule.argsPattern) lines.push(`argsPattern = ${tomlString(rule.argsPattern)}`);
      lines.push(`decision = ${tomlString(rule.decision)}`, `priority = ${rule.priority}`);
      if (rule.denyMessage) lines.push(`denyMessage = ${tomlString(rule.denyMessage)}`);
      return lines.join('\n');
    })
    .join('\n\n');
}

/** The policy file's text for one agent: `owns` empty is a read-only role. */
export function geminiPolicy(options: { cwd: string; owns: readonly string[] }): string {
  const web: Rule = {
    toolName: GEMINI_WEB_TOOLS,
    decision: 'deny',
    priority: 990,
    denyMessage: 'refused by the orchestrator: no network tools in this run',
  };
  if (options.owns.length === 0) {
    return `${toml([
      {
        toolName: GEMINI_EDIT_TOOLS,
        decision: 'deny',
        priority: 990,
        denyMessage: 'refused by the orchestrator: you work read-only here, no file may change',
      },
      web,
      // Commands run (tests, git diff…); one that redirects output still asks, and a headless run refuses it.
      { toolName: 'run_shell_command', decision: 'allow', priority: 900 },
    ])}\n`;
  }
  // One rule per glob: Gemini also drops a pattern longer than 2,048 characters.
  const guarded = [...PROTECTED_GLOBS, 'node_modules/**'];
  return `${toml([
    ...guarded.map((glob): Rule => ({
      toolName: GEMINI_EDIT_TOOLS,
      argsPattern: filePathPattern(options.cwd, glob, true),
      decision: 'deny',
      priority: 990,
      denyMessage: `refused by the orchestrator: a protected path (${glob}), no agent writes it`,
    })),
    ...options.owns.flatMap(expandBraces).map((glob): Rule => ({
      toolName: GEMINI_EDIT_TOOLS,
      argsPattern: filePathPattern(options.cwd, glob),
      decision: 'allow',
      priority: 940,
    })),
    {
      toolName: GEMINI_EDIT_TOOLS,
      decision: 'deny',
      priority: 900,
      denyMessage: `refused by the orchestrator: outside your layer's files (owns: ${options.owns.join(', ')})`,
    },
    web,
  ])}\n`;
}
