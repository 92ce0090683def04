/**
 * `orchestrator demo [folder]`: one feature on the bundled sample shop against the scripted
 * model built into the engine: no key, no network, the whole pipeline with its approval gate.
 * At a terminal the spec waits for the user's yes; with none attached the demo approves by
 * itself and says so. The result stays in the folder it names.
 */
import { createInterface } from 'node:readline/promises';
import { join } from 'node:path';
import { DEMO_REQUEST, engine } from '../core/engineBundle';
import type { RunOptions, RunSummary } from '../core/api';
import type { SpecDecision, SpecDecisionRequest } from '../core/host';
import { CliHost } from './cliHost';

/** The sample the demo copies: shipped beside dist/ (package.json "files", .vscodeignore). */
export const SAMPLE_DIR = join(__dirname, '..', 'examples', 'shop');

/** The spec's lines the gate shows before asking (the demo's is about 60); the rest is in its file. */
const SPEC_LINES = 120;

/** The CLI host, except that the spec's approval is asked at a terminal, or given by itself without one. */
class DemoHost extends CliHost {
  constructor(
    private readonly say: (line: string) => void,
    private readonly interactive: boolean,
  ) {
    super({ progress: say });
  }

  override async decideSpec(request: SpecDecisionRequest): Promise<SpecDecision> {
    if (!this.interactive) {
      this.say(`no terminal attached: the demo approves the spec by itself (${request.specPath})`);
      return { action: 'approve' };
    }
    // What is approved, before the question: the spec's text (through say, which shows it safely), not only its path.
    const lines = request.markdown.trimEnd().split('\n');
    this.say(`\nThe spec is written: ${request.specPath}\n`);
    for (const line of lines.slice(0, SPEC_LINES)) this.say(`  │ ${line}`);
    if (lines.length > SPEC_LINES) this.say(`  │ … ${lines.length - SPEC_LINES} more lines in ${request.specPath}`);
    const prompt = createInterface({ input: process.stdin, output: process.stderr });
    try {
      const answer = await prompt.question('\nApprove it and let the layer agents implement it? [Y/n] ');
      return /^\s*n/i.test(answer) ? { action: 'save' } : { action: 'approve' };
    } finally {
      prompt.close();
    }
  }
}

export async function runDemo(
  folder: string | undefined,
  options: RunOptions,
  say: (line: string) => void,
): Promise<RunSummary> {
  const demo = await engine.prepareDemo(SAMPLE_DIR, folder);
  say(`demo: the sample shop is in ${demo.folder}${demo.git ? ' (a git repository)' : ' (no git: no checkpoints)'}`);
  say(`demo: every agent is the scripted model built into the Orchestrator: no key, no network, no cost`);
  say(`demo: feature "${DEMO_REQUEST}"`);
  const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
  const summary = await engine.runFeature(DEMO_REQUEST, {
    ...options,
    workspace: demo.folder,
    host: new DemoHost(say, interactive),
    autoApprove: false,
    approveGates: false,
    assumeYes: true,
  });
  say(
    `demo: ${summary.status}; the result is in ${demo.folder} (try: cd ${demo.folder} && git status --short && git diff HEAD --stat: the first lists new files (??) too, the second what changed in tracked ones; orchestrator runs)`,
  );
  return summary;
}
