/**
 * The action's inputs (action.yml), as the runner hands them to a JavaScript action: one
 * `INPUT_<NAME>` variable each, the name upper-cased with its hyphens kept (`INPUT_GITHUB-TOKEN`),
 * an input not given as an empty string. zod-checked; a bad value is named by its input.
 */
import * as z from 'zod/mini';

/** The inputs action.yml declares, by name; the three secrets are masked before anything else runs. */
export const INPUT_NAMES = [
  'anthropic-api-key',
  'openai-api-key',
  'github-token',
  'label',
  'config',
  'max-budget-usd',
  'mode',
] as const;
export const SECRET_INPUTS = ['anthropic-api-key', 'openai-api-key', 'github-token'] as const;

export interface ActionInputs {
  anthropicApiKey?: string;
  openaiApiKey?: string;
  githubToken: string;
  label: string;
  /** The config file, relative to the checkout: `<workspace>/.claude/orchestrator.yaml`. */
  config: string;
  /** The cap on what all jobs of an issue's run spend together; undefined: the config's limits.maxBudgetUsd. */
  maxBudgetUsd?: number;
  /** `job`: act on the event; `ready-sandbox`: only ready the sandbox for the steps after (the checks workflow of `init --ci github`). */
  mode: 'job' | 'ready-sandbox';
}

const CONFIG_TAIL = '.claude/orchestrator.yaml';

const text = z.string().check(z.trim());
const schema = z.object({
  'anthropic-api-key': z.optional(text),
  'openai-api-key': z.optional(text),
  'github-token': text.check(
    z.minLength(
      1,
      'is empty: give `${{ github.token }}` (the default) or a token with contents, issues and pull-requests write',
    ),
  ),
  label: text.check(z.minLength(1, 'is empty'), z.maxLength(50, 'is longer than GitHub allows a label (50)')),
  config: text.check(
    z.refine(
      (value) => value === CONFIG_TAIL || value.endsWith(`/${CONFIG_TAIL}`),
      `names the file the engine reads: ${CONFIG_TAIL}, or <folder>/${CONFIG_TAIL} for a workspace in a folder of the repository`,
    ),
    z.refine(
      (value) => !value.startsWith('/') && !value.split('/').includes('..'),
      'is a path inside the checkout (no leading /, no ..)',
    ),
  ),
  mode: z.enum(['job', 'ready-sandbox'], 'is job (the default) or ready-sandbox'),
  'max-budget-usd': z.optional(
    text.check(
      z.refine(
        (value) => value === '' || (Number.isFinite(Number(value)) && Number(value) > 0),
        'is a number of US dollars above 0',
      ),
    ),
  ),
});

export const inputVariable = (name: string) => `INPUT_${name.toUpperCase().replace(/ /g, '_')}`;

/** The inputs from the job's environment, defaults as action.yml gives them; throws naming the input that is wrong. */
export function readInputs(env: NodeJS.ProcessEnv): ActionInputs {
  const raw = Object.fromEntries(INPUT_NAMES.map((name) => [name, env[inputVariable(name)] ?? '']));
  // action.yml's defaults, for a runner that did not fill them (a test, `node dist/action.js` by hand).
  raw.label ||= 'orchestrator';
  raw.config ||= CONFIG_TAIL;
  raw.mode ||= 'job';
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`the input ${String(issue.path[0])} ${issue.message}`);
  }
  const value = parsed.data;
  const budget = value['max-budget-usd'];
  return {
    ...(value['anthropic-api-key'] ? { anthropicApiKey: value['anthropic-api-key'] } : {}),
    ...(value['openai-api-key'] ? { openaiApiKey: value['openai-api-key'] } : {}),
    githubToken: value['github-token'],
    label: value.label,
    config: value.config,
    ...(budget ? { maxBudgetUsd: Number(budget) } : {}),
    mode: value.mode,
  };
}

/** The workspace the config names: the checkout, or its folder holding `.claude/`. */
export function workspaceOf(checkout: string, config: string): string {
  const folder = config.slice(0, -CONFIG_TAIL.length).replace(/\/$/, '');
  return folder ? `${checkout}/${folder}` : checkout;
}
