/**
 * CircleCI's `.circleci/config.yml`: each job's `run:` steps (a string, or `command:` with its
 * `working_directory:` and `environment:`), the reusable `commands:` a step names expanded one level,
 * `<< parameters.x >>` from the job's or command's defaults (a step whose value is not known is left
 * out). The job's `working_directory` is where `checkout` puts the repository: a step's own folder is
 * relative to it. Orb steps (`node/install-packages`) and the rest are not commands the project wrote.
 */
import { posix } from 'node:path';
import { asRecord } from '../manifests/manifests';
import { envPrefix, expandEnv, literalEnv, runLines, stringRecord, workingDirectory, type Add } from './ciSteps';

export function readCircle(root: Record<string, unknown>, add: Add): void {
  const commands = asRecord(root.commands);
  const referenced = new Set([...JSON.stringify(root).matchAll(/\$\{?([A-Za-z_]\w*)/g)].map((m) => m[1]!));
  for (const job of Object.values(asRecord(root.jobs)).map(asRecord)) {
    const jobDir = typeof job.working_directory === 'string' ? job.working_directory : undefined;
    const jobEnv = literalEnv(job.environment);
    const run = (step: Record<string, unknown>, parameters: Record<string, string>) => {
      const body = step.run;
      const spec = typeof body === 'string' ? { command: body } : asRecord(body);
      if (typeof spec.command !== 'string') return;
      const script = withParameters(spec.command, parameters);
      const dir = stepFolder(spec.working_directory, jobDir, parameters);
      if (script === undefined || dir === undefined) return;
      const env = { ...jobEnv, ...literalEnv(spec.environment) };
      const shell = typeof spec.shell === 'string' ? spec.shell : '';
      if (/python|cmd\.exe/i.test(shell)) return;
      const given = envPrefix(env, referenced);
      runLines(
        expandEnv(script, env),
        dir,
        (command, cwd) => add(`${given}${command}`, cwd),
        /powershell|pwsh/i.test(shell),
      );
    };
    const jobParameters = defaults(job.parameters);
    for (const step of Array.isArray(job.steps) ? job.steps : []) {
      if (isRecord(step) && 'run' in step) {
        run(step, jobParameters);
        continue;
      }
      // A reusable command of this config: `- build` or `- build: {target: x}`, its steps with its parameters.
      const [name, given] = typeof step === 'string' ? [step, {}] : (Object.entries(asRecord(step))[0] ?? ['', {}]);
      const command = asRecord(commands[name]);
      const parameters = { ...jobParameters, ...defaults(command.parameters), ...stringRecord(asRecord(given)) };
      for (const inner of Array.isArray(command.steps) ? command.steps : [])
        if (isRecord(inner) && 'run' in inner) run(inner, parameters);
    }
  }
}

/** `<< parameters.x >>` replaced by its value; undefined when one has none known (the command is not the project's as written). */
function withParameters(text: string, parameters: Record<string, string>): string | undefined {
  let unknown = false;
  const expanded = text.replace(/<<\s*parameters\.([\w-]+)\s*>>/g, (_whole, name: string) => {
    if (name in parameters) return parameters[name]!;
    unknown = true;
    return '';
  });
  return unknown || /<<\s*pipeline\./.test(expanded) ? undefined : expanded;
}

/**
 * A step's folder, relative to the repository: the job's `working_directory` is where the checkout is
 * (`~/project` by default), so a relative step folder is below it, and an absolute one inside it.
 */
function stepFolder(
  value: unknown,
  jobDir: string | undefined,
  parameters: Record<string, string>,
): string | undefined {
  if (value === undefined) return '';
  if (typeof value !== 'string') return undefined;
  const text = withParameters(value, parameters);
  if (text === undefined) return undefined;
  const checkout = (jobDir ?? '~/project').replace(/\/+$/, '');
  if (text === checkout || text.startsWith(`${checkout}/`))
    return workingDirectory(text.slice(checkout.length + 1) || '.');
  if (text.startsWith('/') || text.startsWith('~')) return undefined;
  return workingDirectory(posix.normalize(text));
}

function defaults(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(asRecord(value))) {
    const fallback = asRecord(spec).default;
    if (['string', 'number', 'boolean'].includes(typeof fallback)) out[name] = String(fallback);
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
