/**
 * A parked gate's decision given to the engine's one verb (engine.answerQuestion, issue 72), in the
 * run's launch: the engine records it on the spec with the gate's checks, journals it and continues
 * the run here. Taken (the run's first event heard, or the answer in its journal), the decision is
 * said and journaled on GitHub; refused by the gate's checks (an approval leaving work unplaced),
 * nothing was journaled and the run stays parked: `refused` says why.
 */
import { engine } from '../core/engineBundle';
import type { GateAnswer } from './issueGates';
import type { LiveLaunch } from './liveRuns';

export class GateAnswers {
  /** Parked gates answered in this process: told once the engine took the answer. */
  private readonly taking = new Map<string, () => void>();

  constructor(
    private readonly workspace: string,
    private readonly log: (line: string) => void,
  ) {}

  /** An engine event of the run: its first after the answer says the engine took it. */
  heard(runId: string): void {
    this.taking.get(runId)?.();
  }

  /** The launch that continues the run with its answer. */
  launch(runId: string, answer: GateAnswer): LiveLaunch {
    return async (options) => {
      let accepted: Promise<void> | undefined;
      const accept = () =>
        (accepted ??= answer
          .accepted()
          .catch((error: unknown) => this.log(`github: run ${runId}: ${(error as Error).message}`)));
      this.taking.set(runId, () => void accept());
      try {
        const summary = await engine.answerQuestion(runId, answer.questionId, answer.given, options);
        await accept();
        return summary;
      } catch (error) {
        if (accepted || (await this.answered(runId, answer.questionId))) await accept();
        else await answer.refused((error as Error).message);
        throw error;
      } finally {
        this.taking.delete(runId);
      }
    };
  }

  private async answered(runId: string, questionId: string): Promise<boolean> {
    const lines = await engine.runEvents(this.workspace, runId, 'journal').catch(() => []);
    return lines.some((line) => {
      const e = JSON.parse(line) as { type: string; id?: unknown };
      return e.type === 'question.answered' && e.id === questionId;
    });
  }
}
