/**
 * Entry of dist/action.js (scripts/build.mjs), what action.yml's `runs.main` names: one job of the
 * GitHub Action. The job's token and the runner's own leave the environment first: nothing the job
 * starts (an agent, a validate command, git) inherits them; the job holds them in memory. The model
 * keys of the inputs become the variables runs read them from (serve's way: no validate command
 * ever gets them, docs/security.md).
 */
import { runAction } from './index';
import { HELD, modelKeys } from './job';
import { readInputs } from './inputs';
import { builtVersion, versionLine } from '../../shared/buildInfo';

const env = { ...process.env };
let keys: NodeJS.ProcessEnv = {};
try {
  keys = modelKeys({}, readInputs(env));
} catch {
  // A bad input is said by the job itself.
}
for (const name of HELD) delete process.env[name];
Object.assign(process.env, keys);
// The job's first line: which build of the Action runs (a vendored copy is pinned by the user's commit, not by a tag).
process.stdout.write(`Orchestrator: ${versionLine('spec-orchestrator', builtVersion())}\n`);
runAction(env, (text) => process.stdout.write(text)).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.stdout.write('::error::the job failed unexpectedly\n');
    process.exitCode = 1;
  },
);
