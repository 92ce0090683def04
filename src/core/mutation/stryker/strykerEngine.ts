/**
 * StrykerJS as a mutation engine (issue 61): JavaScript and TypeScript files. It lists mutants with
 * Stryker's instrumenter and runs the chosen ones with Stryker's CLI in the copy, through the
 * caller's runner (the sandbox), with the project's test runner limited to the proof tests. For a
 * runner StrykerJS has no plugin for (node:test, AVA, tap…) its command runner would start a
 * process per mutant after its own start (about two seconds): the mutants are written and judged
 * by the proof command one by one instead, as the built-in mutator's are (../perMutant).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { quote } from 'shell-quote';
import type { EngineRun, MutationEngine } from '../engine';
import { executeEachMutant } from '../perMutant';
import type { ChangedLines, Mutant, MutantStatus } from '../types';
import { CONFIG_FILE, projectRunner, REPORT_FILE, strykerConfig } from './strykerConfig';
import { strykerInstall } from './strykerInstall';
import { strykerApply, strykerMutants } from './strykerMutants';
import { readStrykerReport, readStrykerSuites } from './strykerReport';

const SOURCE = /\.(?:[cm]?[jt]sx?)$/;
const NOT_MUTATED = /\.d\.[cm]?ts$/;

/** StrykerJS for `workspace` (its own install first); undefined when none is found. */
export function strykerEngine(workspace: string): MutationEngine | undefined {
  const install = strykerInstall(workspace);
  if (!install) return undefined;
  return {
    name: 'StrykerJS',
    handles: (path) => SOURCE.test(path) && !NOT_MUTATED.test(path),
    list: (root: string, changed: readonly ChangedLines[]): Promise<Mutant[]> =>
      strykerMutants(install.instrumenter, root, changed),
    async execute(job: EngineRun) {
      if (job.mutants.length === 0) return { statuses: new Map<string, MutantStatus>() };
      const runner = await projectRunner(job.copy, job.proof.command);
      if (!runner)
        return executeEachMutant(job, 'StrykerJS', await strykerApply(install.instrumenter, job.copy, job.mutants));
      const suites = job.suites && job.suites.length > 1 ? job.suites : undefined;
      const config = strykerConfig({
        install,
        runner,
        mutants: job.mutants,
        tests: job.tests,
        concurrency: job.concurrency,
        allTests: suites !== undefined,
      });
      await mkdir(dirname(join(job.copy, CONFIG_FILE)), { recursive: true });
      await writeFile(join(job.copy, CONFIG_FILE), JSON.stringify(config, null, 2));
      const result = await job.run(quote([...strykerNode(), install.bin, 'run', CONFIG_FILE]), {
        cwd: job.copy,
        timeoutSec: job.timeoutSec,
        readOnly: [install.modules],
      });
      const text = await readFile(join(job.copy, REPORT_FILE), 'utf8').catch(() => undefined);
      const wanted = new Set(job.mutants.map((m) => m.id));
      const only = (statuses: Map<string, MutantStatus>) => new Map([...statuses].filter(([id]) => wanted.has(id)));
      const statuses = only(text ? readStrykerReport(text) : new Map());
      const judged = suites && text ? { suites: readStrykerSuites(text, suites).map(only) } : {};
      if (text && result.exitCode === 0) return { statuses, ...judged };
      const why = result.timedOut
        ? `StrykerJS stopped at the time cap (${job.timeoutSec} s)`
        : `StrykerJS failed (exit ${result.exitCode ?? 'none'})`;
      return { statuses, ...judged, error: `${why}${gist(result.output)}` };
    },
    // Its runner plugins say which tests killed a mutant; a proof command per mutant cannot.
    attributes: async (copy, proof) => (await projectRunner(copy, proof.command)) !== undefined,
  };
}

/**
 * The Node that runs StrykerJS (and, through it, the project's test runner): the one running the
 * orchestrator, which meets StrykerJS's own minimum (22) as the orchestrator does, where `node` on
 * PATH may be older (an editor started from a desktop whose PATH has Node 20). VS Code's Electron
 * runs as plain Node with ELECTRON_RUN_AS_NODE. The sandbox binds this Node's folder read-only.
 */
export function strykerNode(
  versions: NodeJS.ProcessVersions = process.versions,
  execPath = process.execPath,
): string[] {
  return versions.electron ? ['env', 'ELECTRON_RUN_AS_NODE=1', execPath] : [execPath];
}

/**
 * Stryker's own error lines after `: `, its first ERROR (which names the cause) on the first line, as
 * views show that line alone; else `:` and the output's end.
 */
function gist(output: string): string {
  const lines = output
    .trim()
    .split('\n')
    .filter((line) => !/^\s+at /.test(line));
  const first = lines.findIndex((line) => /\bERROR\b/.test(line));
  return first === -1 ? `:\n${lines.slice(-12).join('\n')}` : `: ${lines.slice(first, first + 12).join('\n')}`;
}
