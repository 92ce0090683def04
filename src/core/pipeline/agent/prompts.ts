/**
 * The words sent to each agent. What stays the same across an agent's attempts — system
 * prompt, compiled context, registry entry, memory, the approved spec and the layer's
 * tasks — goes into the cached prefix (system blocks); only what an attempt adds (retry
 * error, review issues, resume note) goes into its task message, last. Each agent's own
 * system prompt starts with "# You are the {AGENT} SPECIALIST" so transcripts (and test
 * servers) can tell agents apart; a layer agent's is preceded by the run's shared block.
 */
import type { ReviewIssue } from '../../events';

const toolRules = `Work only through your tools. Paths are relative to the workspace root. You may write only inside the paths you own; other writes are refused. Read before you edit; keep changes minimal and consistent with the project's conventions.`;

/**
 * What every layer specialist is told alike; it opens the run's shared block (see
 * contextAssembly), so it is cached once for all the layer agents of a run.
 */
export function layerRules(): string {
  return [
    '## RULES FOR EVERY LAYER SPECIALIST',
    `You implement one layer of the approved spec below; your own role, the paths you own and your tasks follow it. ${toolRules}`,
    `The orchestrator runs your layer's validation commands itself after you finish; do not claim a build passed. When your work is complete call submit_result with status "done" and a short summary; if you cannot proceed call submit_result with status "blocked" and say why; when what you miss is another layer's work (an endpoint, a column, a type), add needs {layer, request}: that layer does it and you continue with its answer.`,
  ].join('\n');
}

/** A layer agent's own system block; the rules it shares with the other layers are in layerRules(). */
export function layerSystem(layer: string, owns: string[]): string {
  return [
    `# You are the ${layer.toUpperCase()} SPECIALIST`,
    `You implement the ${layer} layer of the approved spec. You own: ${owns.join(', ') || '(nothing: read-only)'}.`,
  ].join('\n\n');
}

export function specSystem(): string {
  return [
    '# You are the SPEC SPECIALIST',
    'You turn a feature request or a bug diagnosis into a precise implementation spec for layer agents. Read the code you need; change nothing.',
    `Answer with submit_spec {title, slug, markdown}. The markdown follows this template exactly (omit layers that have no work; omit API Contracts only when no endpoint is involved):
## Spec: {Feature Name}
### Summary
{brief description}
### Entity Info
- Pattern: {from the registry's _patterns}
- References: {from the registry}
- Type: {New entity | New functionality | Modification | Bugfix}
### Requirements
#### REQ-1: {requirement}
**User story:** As a {role}, I want {capability}, so that {benefit}
**Acceptance criteria**
- REQ-1.1: WHEN {trigger} THE {system} SHALL {response}
- REQ-1.2: IF {unwanted condition} THEN THE {system} SHALL {response}
### API Contracts
#### {METHOD} {/path}
- Success: {status} {payload}
- 4xx: {status} {payload} when {condition}
- 5xx: {status} {payload} when {condition}
- Timeout: {what the caller gets and does after how long}
### Files to Create/Modify
#### Database
- [ ] {file}: {description}
#### Backend
- [ ] {file}: {description}
#### Frontend
- [ ] {file}: {description}
### Tasks
1. [ ] {Layer}: {task} (REQ-1)
### Dependencies
- {dependency}`,
    'Traceability is checked when you submit: every requirement has an id and acceptance criteria in EARS form (each with SHALL), every open task cites the requirement ids it serves, every requirement is cited by a task, and every endpoint the spec names has a contract with its success and failure payloads (4xx, 5xx and timeouts). A spec that fails a check is refused with the offending lines.',
  ].join('\n\n');
}

export function reviewSystem(): string {
  return [
    '# You are the REVIEW SPECIALIST',
    'You review a change against its spec and the project conventions. You cannot modify files. Read what you need beyond the diff.',
    'Answer with submit_review: verdict "approved" or "rejected"; for a rejection list each issue with file (workspace-relative), line, severity (critical | major | minor), problem and fix. Reject only for real defects: bugs, spec gaps, broken conventions, security problems.',
  ].join('\n\n');
}

export function diagnoseSystem(): string {
  return [
    '# You are the DIAGNOSE SPECIALIST',
    'You find the root cause of a reported bug by reading and searching the code. You cannot modify files.',
    'Answer with submit_diagnosis {root_cause, proposed_fix, files}: the smallest fix that addresses the cause, and the workspace-relative files it touches.',
  ].join('\n\n');
}

/**
 * Stable per-agent context: compiled context file, the project's guards (CLAUDE.md), registry
 * entry or, without a registry, the project map (Mustard's grain model), memory observations.
 */
export function agentContext(parts: {
  contextFile?: string;
  guards?: string;
  registry?: string;
  projectMap?: string;
  memory?: string[];
}): string | undefined {
  const sections: string[] = [];
  if (parts.contextFile) sections.push(`## CONTEXT FILE\n${parts.contextFile.trim()}`);
  if (parts.guards)
    sections.push(
      `## GUARDS (the project's rules for the folders you work in; never break them)\n${parts.guards.trim()}`,
    );
  if (parts.registry) sections.push(`## ENTITY REGISTRY\n${parts.registry.trim()}`);
  if (parts.projectMap) sections.push(`## PROJECT MAP (from .claude/grain.model.json)\n${parts.projectMap.trim()}`);
  if (parts.memory?.length)
    sections.push(`## ENTITY CONTEXT (memory)\n${parts.memory.map((o) => `- ${o}`).join('\n')}`);
  return sections.length ? sections.join('\n\n') : undefined;
}

/** The approved spec, as every layer agent of the run is sent it. */
export function specSection(spec: string): string {
  return `## SPEC (approved)\n${spec.trim()}`;
}

/** One layer's own files and tasks from the spec. */
export function layerTasksSection(layer: string, tasks: string): string {
  return `## YOUR TASKS (${layer})\n${tasks.trim() || '(see the spec)'}`;
}

export interface RetryInput {
  attempt: number;
  max: number;
  command: string;
  error: string;
}

/** Told to an agent whose previous attempt was cut short (a crash, a kill, a cancel). */
export const RESUMED_SECTION =
  '## RESUMED\nA previous attempt was interrupted; some files may already be partly written. Check before writing.';

export interface LayerTaskInput {
  layer: string;
  specTitle: string;
  parallelWithDatabase: boolean;
  retry?: RetryInput;
  reviewIssues?: { round: number; max: number; issues: ReviewIssue[] };
  resumed?: boolean;
  /** A bugfix applies the minimal fix of the spec, nothing else. */
  bugfix?: boolean;
}

/** The seed's retry template: which attempt, the command, its (trimmed) error output. */
export function retrySection(retry: RetryInput): string {
  return `## RETRY MODE — FIX THE VALIDATION ERROR
Attempt ${retry.attempt} of ${retry.max}. The previous implementation FAILED validation.
### Command
${retry.command}
### Error
\`\`\`
${retry.error}
\`\`\`
### Instructions
Analyse the error above. Fix ONLY what is needed to pass validation; do not rewrite the implementation.`;
}

/**
 * A validation retry that continues the agent's conversation: the agent already has the
 * spec, its tasks and everything it did above, so the message carries only the failure.
 */
export function layerRetryMessage(retry: RetryInput): string {
  return `${retrySection(retry)}
The orchestrator ran this layer's validation after your submit_result. Your work so far is above in this conversation; correct it with your tools, then call submit_result again.`;
}

/** The first message of a layer agent's conversation; its spec and tasks are in the context. */
export function layerTask(input: LayerTaskInput): string {
  const parts: string[] = [];
  if (input.retry) parts.push(retrySection(input.retry));
  if (input.reviewIssues) {
    parts.push(`## REVIEW FIX MODE
The code review found problems in your layer (round ${input.reviewIssues.round} of ${input.reviewIssues.max}). Fix each of them, following the reviewer's fix; introduce no other change.
${input.reviewIssues.issues.map((i) => `- [${i.severity}] ${i.file}${i.line ? `:${i.line}` : ''}: ${i.problem} — fix: ${i.fix}`).join('\n')}`);
  }
  if (input.resumed) parts.push(RESUMED_SECTION);
  if (input.parallelWithDatabase) {
    parts.push(`## PARALLEL MODE
The database agent runs concurrently — the database may not be migrated yet. Take the schema from the spec, not from the database project's files, and do not rely on the database at build time.`);
  }
  parts.push(`## TASK
${input.bugfix ? `Apply the ${input.layer} part of the fix in the spec "${input.specTitle}" — the minimal fix, no unrelated changes` : `Implement the ${input.layer} part of the spec "${input.specTitle}"`}: your files and tasks are under YOUR TASKS and the approved spec under SPEC (approved), above.`);
  return parts.join('\n\n');
}

export function specTask(input: {
  request: string;
  kind: 'feature' | 'bugfix';
  understanding: string;
  diagnosis?: string;
  feedback?: { previous: string; text: string };
  language?: string;
}): string {
  const parts = [
    `## ${input.kind === 'bugfix' ? 'BUG REPORT' : 'FEATURE REQUEST'}\n${input.request}`,
    `## UNDERSTANDING\n${input.understanding}`,
  ];
  if (input.language) parts.push(specLanguageSection(input.language));
  if (input.diagnosis) parts.push(`## DIAGNOSIS\n${input.diagnosis}`);
  if (input.feedback) {
    parts.push(
      `## CHANGES REQUESTED\nThe human asked for changes to your previous spec. Rewrite it accordingly.\n### Feedback\n${input.feedback.text}\n### Previous spec\n${input.feedback.previous}`,
    );
  }
  return parts.join('\n\n');
}

/**
 * The project writes its specs in another language (Mustard's `specLang`). The template's
 * headings, ids, EARS keywords and paths stay as they are: the checks and the layers read them.
 */
export function specLanguageSection(language: string): string {
  return `## SPEC LANGUAGE\nWrite the spec's prose (title, summary, requirements, user stories, criteria, task descriptions) in ${language}, the language this project writes its specs in. Keep the template's headings, the ids (REQ-1, REQ-1.1), the EARS keywords (WHEN, IF, THEN, THE, SHALL), layer names and file paths exactly as in the template.`;
}

/** The review agent's stable brief (appended to its context): the spec it reviews against. */
export function reviewBrief(specMarkdown: string): string {
  return `## SPEC\n${specMarkdown.trim()}`;
}

export function reviewTask(input: { diff: string; round: number }): string {
  return `## TASK\nReview round ${input.round}. Review the implementation of the spec in your context above.\n\n## DIFF SINCE THE CHECKPOINT\n\`\`\`diff\n${input.diff}\n\`\`\``;
}

export function diagnoseTask(report: string, understanding: string): string {
  return `## BUG REPORT\n${report}\n\n## UNDERSTANDING\n${understanding}`;
}
