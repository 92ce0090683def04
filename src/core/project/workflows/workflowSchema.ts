import * as z from 'zod/mini';
import { about, protectedGlobOf } from '../config';
import { RUNNER_NAMES } from '../../text/runnerNames';

/**
 * The schema of `.claude/workflows/<name>.yaml` (docs/workflows.md): an ordered list of
 * phases, each with its role, inputs, outputs, gate and limits. Strict like the config: an
 * unknown key is an error, because a typo (`gates:`) would otherwise drop a gate silently.
 * `pipeline/workflow/` interprets it; the editor gets the same schema as JSON Schema
 * (workflowJsonSchema.ts, media/workflow.schema.json).
 */

/** What a phase does when it is one of the engine's own steps (the shipped `feature` is made of these). */
export const WORKFLOW_STEPS = [
  'sync',
  'understand',
  'diagnose',
  'spec',
  'implement',
  'fix',
  'review',
  'complete',
  'deploy',
] as const;
export type WorkflowStep = (typeof WORKFLOW_STEPS)[number];

/**
 * Checks a `check` gate can name besides commands; anything else in its list is a command run in
 * the workspace. `validate` (the layers' own commands) and `review` (the review's verdict) are
 * what the engine's implement/fix and review steps enforce.
 */
export const BUILT_IN_CHECKS = ['sections', 'adr', 'mermaid', 'dictionary', 'trace', 'validate', 'review'] as const;
export type BuiltInCheck = (typeof BUILT_IN_CHECKS)[number];

/**
 * The traceability matrix's column groups (seed 000: "each phase adding its columns"): a phase adds
 * its own when it closes. `code` is Tasks and Files; the others are one column each.
 */
export const TRACE_COLUMNS = ['design', 'code', 'validation', 'review', 'tests', 'uat'] as const;
export type TraceColumn = (typeof TRACE_COLUMNS)[number];

/** What a phase's `inputs` may name besides earlier phases and their documents. */
export const WORKFLOW_SOURCES = ['request', 'spec', 'census'] as const;

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const name = z.string().check(z.regex(NAME, { error: 'names may only use letters, digits, "-" and "_"' }));
const text = z.string().check(z.minLength(1));

const workspacePath = z.string().check(
  z.minLength(1),
  z.refine((p) => !p.startsWith('/') && !/^[A-Za-z]:/.test(p) && !p.split(/[\\/]/).includes('..'), {
    error: 'must be a workspace-relative path',
  }),
);

/** Who does a phase's work: an agent name (its context file, model and runner as in the config) or the full form. */
const roleSchema = about(
  z.union([
    name,
    z.strictObject({
      agent: about(
        name,
        'The agent: its context file is .claude/context/<agent>.context.md, its model models.agents.<agent>.',
      ),
      context: about(
        z.optional(
          workspacePath.check(
            z.refine((p) => !p.endsWith('.core.md'), {
              error: 'must be a compiled .context.md file, never a .core.md source',
            }),
          ),
        ),
        'A compiled context file instead of the default one.',
      ),
      model: about(
        z.optional(text),
        'The model for this role (a Claude model id, openai:<model>, vscode-lm:<vendor>/<family>).',
      ),
      runner: about(z.optional(name), 'Who does the work: agent (default), claude-code, codex, … (docs/runners.md).'),
      access: about(
        z.optional(z.enum(['read-only', 'write'])),
        'read-only: the role only reads; write: it writes its documents (or code within owns).',
      ),
    }),
  ]),
  "Who does the phase's work: an agent name, or {agent, context, model, runner, access}.",
);

/** A document a phase must leave: where (`{spec}` is the spec's folder), which sections it must have. */
const documentSchema = z.strictObject({
  document: about(name, "The document's id: later phases name it in inputs as <phase>.<id>."),
  path: about(workspacePath, "Where it is written: {spec} is the spec's folder, {squad} / {layer} the fan-out's item."),
  title: z.optional(text),
  sections: about(z.optional(z.array(text)), 'Headings the document must have (checked at the gate).'),
  checks: about(
    z.optional(z.array(z.enum(['adr', 'mermaid']))),
    'adr: Context/Decision/Consequences; mermaid: every Mermaid block parses.',
  ),
});

const outputSchema = about(
  z.union([z.literal('code'), documentSchema]),
  "code (written within the layers' owns), or a document.",
);

const checkName = about(
  z.union([z.enum(BUILT_IN_CHECKS), text]),
  `A built-in check (${BUILT_IN_CHECKS.join(', ')}) or a command run in the workspace.`,
);

/** `none`, `human` (approvers: the role names that sign off), or `{check: [...]}` (built-in checks and commands). */
const gateSchema = about(
  z.union([
    z.enum(['none', 'human']),
    z.strictObject({
      human: about(
        z.array(name).check(z.minLength(1)),
        'The roles that sign off (approve / request changes / save for later).',
      ),
    }),
    z.strictObject({
      check: about(z.array(checkName).check(z.minLength(1)), 'Checks that must all pass before the phase closes.'),
    }),
  ]),
  'none, human (or {human: [roles]}), or {check: [checks and commands]}.',
);

const phaseSchema = z.strictObject({
  name: about(name, "The phase's name, unique in the workflow (inputs and events name it)."),
  title: z.optional(text),
  uses: about(
    z.optional(z.enum(WORKFLOW_STEPS)),
    "One of the engine's own steps; absent: the role writes the phase's outputs.",
  ),
  role: z.optional(roleSchema),
  inputs: about(
    z.optional(z.array(text)),
    "request, spec, census, an earlier phase, or an earlier phase's document (<phase>.<document>).",
  ),
  outputs: z.optional(z.array(outputSchema)),
  gate: z.optional(gateSchema),
  fanOut: about(z.optional(z.enum(['layers', 'squads'])), 'Run the phase once per layer or once per squad.'),
  reviewer: about(
    z.optional(name),
    'Another role that judges the outputs each round: accepts them, or asks again (up to maxRounds).',
  ),
  maxRounds: about(
    z.optional(z.int().check(z.minimum(1), z.maximum(10))),
    "Rounds of a reviewed phase (seed 003's CTO↔Engineer loop: 3).",
  ),
  retries: about(
    z.optional(z.int().check(z.minimum(0))),
    "Validation retries of this phase's work; default limits.maxRetries.",
  ),
  budgetShare: about(
    z.optional(z.number().check(z.positive(), z.maximum(1))),
    'The share of limits.maxBudgetUsd this phase may spend (0–1).',
  ),
  trace: about(
    z.optional(z.array(z.enum(TRACE_COLUMNS))),
    'The matrix columns this phase adds when it closes (design: its documents citing each requirement; validation; tests; uat: its sign-off). Engine steps add theirs without it: implement/fix code and validation, review review, complete tests.',
  ),
});

export const workflowSchema = z.strictObject({
  version: z.optional(z.literal(1)),
  description: z.optional(text),
  squads: about(
    z.optional(z.record(name, z.array(name).check(z.minLength(1)))),
    'Squads for fanOut: squads, each with the layers its dev work goes to; default one squad per layer.',
  ),
  monitor: about(
    z.optional(
      z.strictObject({
        budgetBurn: about(
          z.optional(z.number().check(z.positive(), z.maximum(1))),
          'Alert when this share of the budget is spent.',
        ),
        validationFailures: about(
          z.optional(z.int().check(z.minimum(1))),
          "Alert when one layer's validation fails this many times.",
        ),
        blockOpenSec: about(z.optional(z.number().check(z.positive())), 'Alert when a block stays open this long.'),
      }),
    ),
    "Seed 003's Monitor: when to raise monitor.alert.",
  ),
  phases: about(z.array(phaseSchema).check(z.minLength(1)), 'The phases, in the order they run.'),
});

export type WorkflowFile = z.output<typeof workflowSchema>;
export type WorkflowPhase = z.output<typeof phaseSchema>;
export type WorkflowRole = z.output<typeof roleSchema>;
export type WorkflowDocument = z.output<typeof documentSchema>;
export type WorkflowGate = z.output<typeof gateSchema>;

/** Problems the schema's shape cannot see: names, references and order. Each with the key it points at. */
export interface WorkflowProblem {
  path: (string | number)[];
  message: string;
}

/** Steps that need the spec an earlier `uses: spec` phase approved. */
const NEEDS_SPEC: readonly WorkflowStep[] = ['implement', 'fix', 'review', 'complete'];

/** What an engine step enforces whatever the file says: its gate must say so, so the file reads true. */
const STEP_GATES: Partial<Record<WorkflowStep, { gate: 'human' | BuiltInCheck; says: string }>> = {
  spec: { gate: 'human', says: 'the spec waits for approval: gate: human' },
  implement: { gate: 'validate', says: "the layers' validate commands gate it: gate: {check: [validate]}" },
  fix: { gate: 'validate', says: "the layers' validate commands gate it: gate: {check: [validate]}" },
  review: { gate: 'review', says: "the review's verdict gates it: gate: {check: [review]}" },
  complete: {
    gate: 'trace',
    says: 'no spec is archived with a requirement no file implements: gate: {check: [trace]}',
  },
};

/** Placeholders a document path may use, and the phases where they mean something. */
const PLACEHOLDERS: Record<string, (phase: WorkflowPhase) => boolean> = {
  spec: () => true,
  squad: (phase) => phase.fanOut === 'squads',
  layer: (phase) => phase.fanOut === 'layers',
};

function gateSays(gate: WorkflowGate | undefined, wanted: 'human' | BuiltInCheck): boolean {
  if (wanted === 'human') return gate === 'human' || (typeof gate === 'object' && 'human' in gate);
  return typeof gate === 'object' && 'check' in gate && gate.check.includes(wanted);
}

export function workflowProblems(workflow: WorkflowFile): WorkflowProblem[] {
  const problems: WorkflowProblem[] = [];
  const seen = new Map<string, Set<string>>();
  const steps = new Set<WorkflowStep>();
  workflow.phases.forEach((phase, index) => {
    const at = (...rest: (string | number)[]) => ['phases', index, ...rest];
    if (seen.has(phase.name)) problems.push({ path: at('name'), message: `phase "${phase.name}" is named twice` });
    const documents = new Set<string>();
    (phase.outputs ?? []).forEach((output, o) => {
      if (output === 'code') return;
      if (documents.has(output.document))
        problems.push({
          path: at('outputs', o, 'document'),
          message: `document "${output.document}" is listed twice in phase ${phase.name}`,
        });
      documents.add(output.document);
      for (const [, placeholder] of output.path.matchAll(/\{([^}]*)\}/g)) {
        const allowed = PLACEHOLDERS[placeholder ?? ''];
        if (!allowed)
          problems.push({
            path: at('outputs', o, 'path'),
            message: `unknown placeholder {${placeholder}} (a path may use {spec}, {squad} in a phase that fans out per squad, {layer} per layer)`,
          });
        else if (!allowed(phase))
          problems.push({ path: at('outputs', o, 'path'), message: `{${placeholder}} needs fanOut: ${placeholder}s` });
      }
      const guarded = protectedGlobOf(output.path.replace(/\{spec\}/g, 'spec/active/x'));
      if (guarded)
        problems.push({
          path: at('outputs', o, 'path'),
          message: `no agent writes ${guarded}: choose a path outside it`,
        });
    });
    (phase.inputs ?? []).forEach((input, i) => {
      const problem = inputProblem(input, seen);
      if (problem) problems.push({ path: at('inputs', i), message: problem });
    });
    if (phase.uses && NEEDS_SPEC.includes(phase.uses) && !steps.has('spec')) {
      problems.push({
        path: at('uses'),
        message: `${phase.uses} needs the approved spec: put a phase with "uses: spec" before it`,
      });
    }
    if (phase.uses === 'review' && !steps.has('implement') && !steps.has('fix')) {
      problems.push({
        path: at('uses'),
        message: 'review needs the work to review: put a phase with "uses: implement" before it',
      });
    }
    if (phase.uses !== 'spec' && gateSays(phase.gate, 'human')) {
      if (phase.uses)
        problems.push({
          path: at('gate'),
          message: `a human gate asks about a phase's documents: ${phase.uses} has none (only a phase without "uses:", or with "uses: spec", has a human gate)`,
        });
      else if (!steps.has('spec'))
        problems.push({
          path: at('gate'),
          message:
            'a human gate needs the spec (approve <specId> continues at it): put a phase with "uses: spec" before it',
        });
    }
    const stepGate = phase.uses && STEP_GATES[phase.uses];
    if (stepGate && !gateSays(phase.gate, stepGate.gate))
      problems.push({
        path: at(phase.gate === undefined ? 'uses' : 'gate'),
        message: `${phase.uses}: ${stepGate.says}`,
      });
    const runner = typeof phase.role === 'object' ? phase.role.runner : undefined;
    // `external` (the MCP queue) takes a layer's work, never a role's.
    if (runner !== undefined && (runner === 'external' || !(RUNNER_NAMES as readonly string[]).includes(runner))) {
      problems.push({
        path: at('role', 'runner'),
        message: `unknown runner "${runner}": a role's runner is one of ${RUNNER_NAMES.filter((name) => name !== 'external').join(', ')}`,
      });
    }
    if (phase.reviewer !== undefined && phase.maxRounds === undefined)
      problems.push({
        path: at('reviewer'),
        message: 'a reviewed phase needs maxRounds (how many rounds before it stops)',
      });
    if (phase.fanOut === 'squads' && !phase.outputs?.length) {
      problems.push({ path: at('fanOut'), message: 'a phase that fans out per squad needs outputs for each squad' });
    }
    seen.set(phase.name, documents);
    if (phase.uses) steps.add(phase.uses);
  });
  const shares = workflow.phases.reduce((sum, phase) => sum + (phase.budgetShare ?? 0), 0);
  if (shares > 1 + 1e-9) {
    const last = workflow.phases.reduce((found, phase, index) => (phase.budgetShare === undefined ? found : index), 0);
    problems.push({
      path: ['phases', last, 'budgetShare'],
      message: `the phases' budget shares add up to ${shares.toFixed(2)}, more than the whole budget (1)`,
    });
  }
  return problems;
}

/** An input names the request, the spec, the census, an earlier phase, or an earlier phase's document (`A.prd`). */
function inputProblem(input: string, earlier: Map<string, Set<string>>): string | undefined {
  if ((WORKFLOW_SOURCES as readonly string[]).includes(input)) return undefined;
  const [phase, document, ...extra] = input.split('.');
  const documents = phase === undefined ? undefined : earlier.get(phase);
  if (!documents || extra.length > 0) {
    const names = [...WORKFLOW_SOURCES, ...earlier.keys()];
    return `unknown input "${input}": an input is one of ${names.join(', ')}, or <phase>.<document> of an earlier phase`;
  }
  if (document !== undefined && !documents.has(document)) {
    return `phase ${phase} has no document "${document}"${documents.size > 0 ? ` (it has: ${[...documents].join(', ')})` : ''}`;
  }
  return undefined;
}
