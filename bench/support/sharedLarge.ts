/** The 10,000-entity / 20,000-file workspace, generated once per bench and shared by cases. */
import type { BenchContext } from '../types';
import { makeLargeWorkspace, type LargeWorkspace } from './largeWorkspace';
import { timed } from './stats';

export const LARGE_ENTITIES = 10_000;
export const LARGE_FILES = 20_000;

export async function largeWorkspace(ctx: BenchContext): Promise<LargeWorkspace & { generateMs: number }> {
  return ctx.shared(
    'large-workspace',
    async () => {
      ctx.log(`generating a ${LARGE_ENTITIES}-entity registry and ${LARGE_FILES} files …`);
      const { ms, value } = await timed(() => makeLargeWorkspace({ entities: LARGE_ENTITIES, files: LARGE_FILES }));
      ctx.log(`  generated in ${(ms / 1000).toFixed(1)} s (${value.dir})`);
      return { ...value, generateMs: ms };
    },
    (ws) => ws.cleanup(),
  );
}
