/**
 * What the proof agent is told (docs/proof.md). Its context is the approved criteria, the files
 * the spec names as they are on the base, one of the project's own tests for its conventions and
 * the property-based library it has: never code of this run, which does not exist yet.
 */
import type { Criterion } from '../../trace';
import type { TestRun } from './proofRun';

/** "for any", "every", "never", "always", WHILE: a criterion quantified over inputs, asked for as a property. */
const QUANTIFIED = /\b(?:for (?:any|all|every)|every|each|never|always|any)\b|^\s*WHILE\b|\bWHILE\b/i;

export function isQuantified(text: string): boolean {
  return QUANTIFIED.test(text);
}

export function proofSystem(tests: readonly string[], commands: readonly string[]): string {
  return [
    '# You are the PROOF SPECIALIST',
    'You write the acceptance tests that prove each criterion of an approved spec, BEFORE anyone implements it. Another agent writes the code afterwards and may not change your tests: they are the evidence that the spec holds.',
    `Work only through your tools. You may write only inside: ${tests.join(', ')}. Read the code, the files the spec names and the example test; change nothing else.`,
    `The orchestrator runs your tests with: ${commands.map((c) => `\`${c}\``).join(', ')} ({files} is your test files). It runs them first on the code as it is now: every test must FAIL there, by an assertion or because what the spec adds does not exist yet. A test that passes now proves nothing (vacuous) and one that cannot run (a syntax error, an import the spec does not add) is broken: both come back to you with the output.`,
    'Rules for the tests:',
    '- One test (or more) per criterion; each test\'s name starts with the criterion id, e.g. "REQ-2.1 rejects an expired coupon", so the runner prints it (Python, Go and other languages whose names cannot hold it: test_req_2_1_rejects_expired_coupon).',
    '- Test behaviour through the public interface the spec describes (its endpoints, functions, files), not internals. Import what the spec adds inside the test (a dynamic import, an import in the test function), so its absence fails that test and not the whole file.',
    "- Follow the project's conventions (the example test): its framework, assertions and layout. Keep each test short and readable as documentation of its criterion.",
    // Go tests a package from its own folder: a proof test there is a file of that package, internal names in reach.
    ...(tests.some((t) => /_test\.go\}?$/.test(t))
      ? [
          "- Go: a test file goes in the folder of the package it tests, named by the pattern above, with that package's own `package` clause (it may call the package's unexported functions, as the project's own tests there do); it changes none of the package's other files.",
        ]
      : []),
    '- A criterion quantified over inputs ("for any", "every", "never", "always", WHILE) is a property: write it with the property-based library named below when there is one.',
    '- A criterion no automated test can check (a look, a document) is submitted with `untestable` and the reason; it stays with the review.',
    'End with submit_proof: one entry per test {criterion, file, name}, or {criterion, untestable}.',
  ].join('\n');
}

export interface ProofBrief {
  criteria: readonly Criterion[];
  /** The spec's own text (its requirements, contracts and files), approved. */
  spec: string;
  /** Files the spec names, as they are on the base (absent ones listed as such). */
  named: { path: string; text?: string }[];
  example?: { path: string; text: string };
  /** The property-based library per group of criteria: the one of the unit (and language) their tasks touch. */
  properties?: { criteria: string[]; library: string; installed: boolean; language: string; unit?: string }[];
  bugfix?: { rootCause: string };
}

export function proofTask(brief: ProofBrief): string {
  const quantified = brief.criteria.filter((c) => isQuantified(c.text)).map((c) => c.id);
  return [
    brief.bugfix
      ? `## THE BUG\nRoot cause: ${brief.bugfix.rootCause}\nYour tests are its reproducers: each must fail on the code as it is now because of the bug, and pass once it is fixed.`
      : '',
    [
      '## ACCEPTANCE CRITERIA TO PROVE',
      ...brief.criteria.map(
        (c) => `- ${c.id}: ${c.text}${quantified.includes(c.id) ? ' (quantified: write a property)' : ''}`,
      ),
    ].join('\n'),
    propertySection(brief.properties, brief.criteria.length),
    '## THE APPROVED SPEC',
    brief.spec,
    '## FILES THE SPEC NAMES, AS THEY ARE NOW',
    ...brief.named.map((f) =>
      f.text === undefined
        ? `### ${f.path}\n(does not exist yet: the spec adds it)`
        : `### ${f.path}\n\`\`\`\n${f.text}\n\`\`\``,
    ),
    brief.example
      ? `## AN EXISTING TEST OF THE PROJECT (its conventions)\n### ${brief.example.path}\n\`\`\`\n${brief.example.text}\n\`\`\``
      : '',
  ]
    .filter(Boolean)
    .join('\n\n');
}

/** One line when one library serves every criterion; else one per group, naming its criteria, language and folder. */
function propertySection(properties: ProofBrief['properties'], criteria: number): string {
  if (!properties?.length) return '';
  const advice = (p: NonNullable<ProofBrief['properties']>[number]) =>
    p.installed
      ? `use ${p.library}`
      : `write example-based tests with several representative inputs (${p.library} would allow properties, but it is not installed there)`;
  if (properties.length === 1 && properties[0]!.criteria.length === criteria) {
    const [p] = properties;
    return p!.installed
      ? `## PROPERTY-BASED TESTING\nThe project has ${p!.library}: use it for the quantified criteria.`
      : `## PROPERTY-BASED TESTING\nThe project has no property-based library (${p!.library} would allow properties): write example-based tests with several representative inputs instead.`;
  }
  return [
    '## PROPERTY-BASED TESTING',
    "Each criterion's code has its own library (its language, its folder): for the quantified ones,",
    ...properties.map((p) => `- ${p.criteria.join(', ')} (${p.language}${p.unit ? `, ${p.unit}/` : ''}): ${advice(p)}`),
  ].join('\n');
}

/** What goes back for a vacuous or broken test: the output of its run on the base. */
export function sentBackMessage(
  runs: readonly { run: TestRun; red: 'passed' | 'broken' }[],
  round: number,
  max: number,
): string {
  return [
    `## ROUND ${round + 1} OF ${max + 1}: TESTS SENT BACK`,
    'These tests were run on the code as it is now (nothing of the spec implemented). Each must fail there by an assertion or by the absence of what the spec adds. Rewrite them, then call submit_proof again with every test (the ones that were right too).',
    ...runs.map(({ run, red }) =>
      [
        `### ${run.test.criterion} — ${run.test.file}${run.test.name ? ` (${run.test.name})` : ''}: ${red === 'passed' ? 'PASSES on the base: it proves nothing (vacuous)' : 'CANNOT RUN (broken)'}`,
        `Command: \`${run.command}\` (exit ${run.exitCode ?? 'none: timed out or did not start'})`,
        '```',
        run.output.trim() || '(no output)',
        '```',
      ].join('\n'),
    ),
  ].join('\n\n');
}

/** A criterion too weak after STRENGTH: its surviving mutants, for the proof agent to kill (issue 61). */
export interface WeakCriterion {
  criterion: Criterion;
  killed: number;
  tried: number;
  survivors: readonly { file: string; line: number; change: string }[];
  /** Its frozen tests (they stay as they are). */
  tests: readonly string[];
}

/** STRENGTH's round: the survivors to kill with new tests, and last round's tests that were not frozen. */
export function strengthenTask(
  weak: readonly WeakCriterion[],
  refused: readonly { criterion: string; file: string; why: string; output: string }[],
  round: number,
  max: number,
): string {
  return [
    `## STRENGTH, ROUND ${round} OF ${max}: MUTANTS YOUR TESTS LET THROUGH`,
    'The layers implemented the spec and your frozen tests pass. The orchestrator then changed the lines they wrote, one small change at a time (a mutant), and ran your tests against each: the mutants below survived, so each is a wrong implementation your tests accept. Add tests that fail on them.',
    "Rules: write NEW test files inside the proof tests' folders (the frozen ones cannot change); each test's name starts with its criterion id; test behaviour the criterion states through the public interface, not the mutated line itself. Each new test must fail on the base (the code before the layers' work, as in PROVE) and pass on the code as it is now; one that does not is not kept. A mutant that changes nothing observable cannot be killed: leave it (the review may mark it equivalent).",
    'End with submit_proof listing only your new tests ({criterion, file, name}).',
    ...weak.map((w) =>
      [
        `### ${w.criterion.id}: ${w.killed}/${w.tried} mutants killed — ${w.criterion.text}`,
        `Frozen tests: ${w.tests.join(', ')}`,
        'Surviving mutants (file:line, what changed):',
        ...w.survivors.map((s) => `- ${s.file}:${s.line} ${s.change}`),
      ].join('\n'),
    ),
    refused.length === 0
      ? ''
      : [
          "## YOUR LAST ROUND'S TESTS THAT WERE NOT KEPT",
          ...refused.map(
            (t) => `### ${t.criterion} — ${t.file}: ${t.why}\n\`\`\`\n${t.output.trim() || '(no output)'}\n\`\`\``,
          ),
        ].join('\n\n'),
  ]
    .filter(Boolean)
    .join('\n\n');
}
