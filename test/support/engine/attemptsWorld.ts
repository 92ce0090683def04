// Attempts (docs/attempts.md) on the shop's Product feature: the backend tried from one base, each
// attempt on its own model (`attemptRunners`), and the model decides how it behaves: m-fail never
// passes validation, m-retry passes after one retry, m-good at once (after looking, slowly, for the
// module: by then another attempt has written one, in its own worktree).
import type { EngineEvent } from '../../../src/core/events';
import { reply } from '../messagesApiServer';
import { say, type AgentScript } from './agentScript';
import { BROKEN_PRODUCT_MODULE, PRODUCT_MODULE } from './fixtures';
import { withLimit } from './shopWorkspace';

export const MODULE = 'server/entities/product.js';

/** The backend's agent, by the model its attempt runs on. */
export const BY_MODEL: Record<string, AgentScript> = {
  'm-fail': ({ turn }) => (turn === 0 ? say.write({ [MODULE]: BROKEN_PRODUCT_MODULE }) : say.done()),
  'm-retry': ({ turn, continued }) =>
    turn === 0 ? say.write({ [MODULE]: continued ? PRODUCT_MODULE : BROKEN_PRODUCT_MODULE }) : say.done(),
  'm-good': ({ turn }) =>
    turn === 0
      ? reply.slow(reply.toolUse('read_file', { path: MODULE }), { streamMs: 1200 })
      : turn === 1
        ? say.write({ [MODULE]: PRODUCT_MODULE })
        : say.done(),
};
export const backend: AgentScript = (call) => BY_MODEL[call.req.body.model as string]!(call);

/** The backend with `attempts` (3 unless `extra` says otherwise) on `runners`, one retry per attempt. */
export const attemptsConfig =
  (runners: string[], extra: (yaml: string) => string = (y) => y) =>
  (yaml: string): string =>
    extra(
      withLimit('maxRetries', 1)(yaml).replace(/\n {2}backend:\n/, '\n  backend:\n    attempts: 3\n') +
        `\nattemptRunners: [${runners.map((r) => `"${r}"`).join(', ')}]\n`,
    );

export type Entry = EngineEvent & { seq: number };
export const ofType = <T extends EngineEvent['type']>(journal: Entry[], type: T) =>
  journal.filter((e): e is Extract<EngineEvent, { type: T }> & { seq: number } => e.type === type);
