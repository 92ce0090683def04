// The built-in mutator as a mutation engine (issue 61): the files of the languages it reads (not
// JavaScript or TypeScript, StrykerJS's), their changed lines' mutants, each judged by the
// project's own proof command on the criterion's test files (../perMutant). The exit code is the
// verdict: 0, the mutant survived; any other, the tests caught it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MutationEngine } from '../engine';
import { executeEachMutant } from '../perMutant';
import type { ChangedLines, Mutant } from '../types';
import { languageOf } from './languages';
import { applyMutant, builtinMutants } from './mutants';

export const builtinEngine: MutationEngine = {
  name: 'built-in mutator',
  handles: (path) => languageOf(path) !== undefined,
  async list(root: string, changed: readonly ChangedLines[]): Promise<Mutant[]> {
    const out: Mutant[] = [];
    for (const c of changed) {
      // A file the run deleted has no lines to mutate.
      const text = await readFile(join(root, c.path), 'utf8').catch(() => undefined);
      if (text !== undefined) out.push(...builtinMutants({ path: c.path, text, changed: c }));
    }
    return out;
  },
  execute: (job) => executeEachMutant(job, 'the built-in mutator', applyMutant),
};
