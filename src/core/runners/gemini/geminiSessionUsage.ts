/**
 * The Gemini CLI reports tokens on its stream only at the end (`result.stats`). Its session file
 * (`$GEMINI_CLI_HOME/.gemini/tmp/<project>/chats/session-<time>-<id8>.jsonl`) gets a `gemini`
 * record with that response's `tokens` as soon as each model response has streamed, before its
 * tools run: following those records is what lets a budget or the turn limit end the agent
 * mid-turn (docs/runners.md "Gemini CLI"). A resumed session is written to a new file that may
 * repeat earlier records: every record id seen before the turn is skipped.
 */
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** One model response's tokens, as Gemini counts them (`input` includes the cached part). */
export interface GeminiResponseTokens {
  id: string;
  model: string;
  input: number;
  output: number;
  cached: number;
  thoughts: number;
  tool: number;
}

interface Record_ {
  id?: string;
  type?: string;
  model?: string;
  tokens?: { input?: number; output?: number; cached?: number; thoughts?: number; tool?: number };
  $set?: { messages?: Record_[] };
}

/** The responses a session-file line records (a `gemini` record, or those a `$set` rewrites). */
export function responsesOfLine(line: string): GeminiResponseTokens[] {
  let parsed: Record_;
  try {
    parsed = JSON.parse(line) as Record_;
  } catch {
    return [];
  }
  const records = parsed.$set?.messages ?? [parsed];
  return records.flatMap((r) =>
    r.type === 'gemini' && r.id && r.tokens
      ? [
          {
            id: r.id,
            model: r.model ?? '',
            input: r.tokens.input ?? 0,
            output: r.tokens.output ?? 0,
            cached: r.tokens.cached ?? 0,
            thoughts: r.tokens.thoughts ?? 0,
            tool: r.tokens.tool ?? 0,
          },
        ]
      : [],
  );
}

/** Every session file of `session` under the agent's Gemini home (one per run of it: a resume starts a new one). */
export async function sessionFiles(home: string, session: string): Promise<string[]> {
  const tmp = join(home, '.gemini', 'tmp');
  const suffix = `-${session.slice(0, 8)}.jsonl`;
  const files: string[] = [];
  for (const project of await readdir(tmp).catch(() => [] as string[])) {
    const chats = join(tmp, project, 'chats');
    for (const name of await readdir(chats).catch(() => [] as string[]))
      if (name.startsWith('session-') && name.endsWith(suffix)) files.push(join(chats, name));
  }
  return files;
}

/**
 * Follows a session's files, calling `onResponse` once per model response not seen before;
 * `poll()` reads what is new now (call it once more after the process ended).
 */
export class SessionTokensFollower {
  private readonly offsets = new Map<string, number>();
  private readonly partial = new Map<string, string>();
  private readonly seen = new Set<string>();
  private session: string | undefined;

  constructor(
    private readonly home: string,
    private readonly onResponse: (tokens: GeminiResponseTokens) => void,
  ) {}

  /** The session to follow; what its files already hold is taken as seen (an earlier turn's). */
  async follow(session: string, existing: boolean): Promise<void> {
    this.session = session;
    if (!existing) return;
    for (const file of await sessionFiles(this.home, session)) await this.read(file, (r) => this.seen.add(r.id));
  }

  async poll(): Promise<void> {
    if (!this.session) return;
    for (const file of await sessionFiles(this.home, this.session)) {
      await this.read(file, (r) => {
        if (this.seen.has(r.id)) return;
        this.seen.add(r.id);
        this.onResponse(r);
      });
    }
  }

  private async read(file: string, take: (r: GeminiResponseTokens) => void): Promise<void> {
    let handle;
    try {
      handle = await open(file, 'r');
    } catch {
      return;
    }
    try {
      const from = this.offsets.get(file) ?? 0;
      const { size } = await handle.stat();
      if (size <= from) return;
      const buffer = Buffer.alloc(size - from);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, from);
      this.offsets.set(file, from + bytesRead);
      const lines = ((this.partial.get(file) ?? '') + buffer.subarray(0, bytesRead).toString('utf8')).split('\n');
      this.partial.set(file, lines.pop() ?? '');
      for (const line of lines) for (const r of responsesOfLine(line)) take(r);
    } finally {
      await handle.close();
    }
  }
}
