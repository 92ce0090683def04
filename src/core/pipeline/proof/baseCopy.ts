/**
 * The base as a place to run a project command: a private copy of the work tree whose files the run
 * changed are as the run's checkpoint has them (STRENGTH's RED for new tests; a validate command
 * that failed, run where no layer has worked yet). `keep` leaves a changed file as it is now (the
 * proof tests, for a RED run of them). Without a checkpoint there is no base: undefined.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileAtCheckpoint } from '../../git';
import { filesChanged } from '../../journal';
import { copyWorkTree } from '../../mutation';
import type { CommandCopy, RunContext } from '../kernel';

export interface BaseCopy extends CommandCopy {
  dispose: () => Promise<void>;
}

export async function baseCopy(
  ctx: RunContext,
  keep: (file: string) => boolean = () => false,
): Promise<BaseCopy | undefined> {
  const checkpoint = ctx.state().checkpoint;
  if (!checkpoint) return undefined;
  const copy = await copyWorkTree(ctx.workspace);
  try {
    for (const file of filesChanged(ctx.state()).filter((f) => !keep(f))) {
      const base = await fileAtCheckpoint(ctx.workspace, checkpoint.ref, file);
      const target = join(copy.path, file);
      if (base === undefined) await rm(target, { force: true, recursive: true });
      else await mkdir(dirname(target), { recursive: true }).then(() => writeFile(target, base));
    }
  } catch (error) {
    await copy.dispose();
    throw error;
  }
  return { cwd: copy.path, readOnly: copy.linked, dispose: copy.dispose };
}
