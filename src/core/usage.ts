// Token counts are a word of the events and the run state as much as of the model calls:
// they sit below both (llm/types.ts re-exports them).

/** Token counts of one model call, or summed over several. */
export interface Usage {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
}

export const emptyUsage = (): Usage => ({ input: 0, output: 0, cacheWrite: 0, cacheRead: 0 });

export function addUsage(a: Usage, b: Usage): Usage {
  return {
    input: a.input + b.input,
    output: a.output + b.output,
    cacheWrite: a.cacheWrite + b.cacheWrite,
    cacheRead: a.cacheRead + b.cacheRead,
  };
}

/** Every token of the prompt, cached or not. */
export const promptTokens = (usage: Usage): number => usage.input + usage.cacheRead + usage.cacheWrite;
