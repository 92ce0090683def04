/**
 * Codex reports usage only when a turn ends (`turn.completed`), summed over the turn. Its session
 * file ($CODEX_HOME/sessions/YYYY/MM/DD/rollout-…-<thread id>.jsonl) gets a `token_usage_record`
 * line per model response as soon as that response ends, before its tools run: reading those lines
 * as they come is what lets a budget end the agent mid-turn (docs/runners.md "Codex").
 */
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** One model response's tokens, as Codex counts them (input includes the cached part). */
export interface CodexResponseUsage {
  responseId: string;
  input: number;
  cachedInput: number;
  cacheWriteInput: number;
  output: number;
}

interface UsageRecordLine {
  type?: string;
  payload?: {
    response_id?: string;
    usage?: {
      input_tokens?: number;
      cached_input_tokens?: number;
      cache_write_input_tokens?: number;
      output_tokens?: number;
    };
  };
}

/** The usage a session-file line records, if it is a `token_usage_record`. */
export function usageOfLine(line: string): CodexResponseUsage | undefined {
  let parsed: UsageRecordLine;
  try {
    parsed = JSON.parse(line) as UsageRecordLine;
  } catch {
    return undefined;
  }
  const usage = parsed.payload?.usage;
  if (parsed.type !== 'token_usage_record' || !usage) return undefined;
  return {
    responseId: parsed.payload?.response_id ?? '',
    input: usage.input_tokens ?? 0,
    cachedInput: usage.cached_input_tokens ?? 0,
    cacheWriteInput: usage.cache_write_input_tokens ?? 0,
    output: usage.output_tokens ?? 0,
  };
}

/** The session file of `threadId` under `codexHome`, searched newest day first. */
export async function findSessionFile(codexHome: string, threadId: string): Promise<string | undefined> {
  const suffix = `-${threadId}.jsonl`;
  const walk = async (dir: string, depth: number): Promise<string | undefined> => {
    let names: string[];
    try {
      names = (await readdir(dir)).sort().reverse();
    } catch {
      return undefined;
    }
    for (const name of names) {
      if (depth === 3) {
        if (name.endsWith(suffix)) return join(dir, name);
        continue;
      }
      const found = await walk(join(dir, name), depth + 1);
      if (found) return found;
    }
    return undefined;
  };
  return walk(join(codexHome, 'sessions'), 0);
}

/**
 * Follows a session file from `fromByte` on, calling `onUsage` once per model response, until
 * `stop()`; `poll()` reads what is new now (call it once more after the process ended). Polls
 * run one after another: two reads from the same offset would each advance it by what they
 * read, skipping the lines between (a response's usage lost, seen under load).
 */
export class SessionUsageFollower {
  private offset: number;
  private partial = '';
  private readonly seen = new Set<string>();
  private reading: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: string,
    fromByte: number,
    private readonly onUsage: (usage: CodexResponseUsage) => void,
  ) {
    this.offset = fromByte;
  }

  poll(): Promise<void> {
    const next = this.reading.then(() => this.readNew());
    this.reading = next.catch(() => undefined);
    return next;
  }

  private async readNew(): Promise<void> {
    let handle;
    try {
      handle = await open(this.file, 'r');
    } catch {
      return;
    }
    try {
      const { size } = await handle.stat();
      if (size <= this.offset) return;
      const buffer = Buffer.alloc(size - this.offset);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
      this.offset += bytesRead;
      const lines = (this.partial + buffer.subarray(0, bytesRead).toString('utf8')).split('\n');
      this.partial = lines.pop() ?? '';
      for (const line of lines) {
        const usage = usageOfLine(line);
        if (!usage || this.seen.has(usage.responseId)) continue;
        if (usage.responseId) this.seen.add(usage.responseId);
        this.onUsage(usage);
      }
    } finally {
      await handle.close();
    }
  }
}

/** The size of a file now (0 when absent): where a resumed turn's new lines start. */
export async function sizeOf(file: string | undefined): Promise<number> {
  if (!file) return 0;
  try {
    const handle = await open(file, 'r');
    try {
      return (await handle.stat()).size;
    } finally {
      await handle.close();
    }
  } catch {
    return 0;
  }
}
