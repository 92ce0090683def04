/**
 * The scripted "Add a Product entity" run of bench/support/productFeature.ts, with a review
 * that rejects the first round once: the backend's first module passes validation but does
 * not limit the name to the column's 100 characters; the review points at that line, the
 * backend's review-fix writes the real module, the second review approves.
 */
import { layerAgent, read, say, type AgentCall, type AgentScript } from '../../../../bench/support/scriptedAgents';
import {
  BROKEN_PRODUCT_MODULE,
  PRODUCT_MODULE,
  productAgents,
  type ProductAgentsOptions,
} from '../../../../bench/support/productFeature';
import { reply } from '../../../support/messagesApiServer';

const LENGTH_CHECK = "  else if (input.name.length > 100) errors.push('name must be at most 100 characters');\n";
if (!PRODUCT_MODULE.includes(LENGTH_CHECK))
  throw new Error('PRODUCT_MODULE changed: update test/e2e/ui/support/agents.ts');

/** Valid JavaScript the shop's validation accepts, minus the name length check. */
export const PRODUCT_MODULE_WITHOUT_LENGTH_CHECK = PRODUCT_MODULE.replace(LENGTH_CHECK, '');

export const REVIEW_ISSUE = {
  file: 'server/entities/product.js',
  /** The name check in validate(), where the length check is missing. */
  line:
    PRODUCT_MODULE_WITHOUT_LENGTH_CHECK.split('\n').findIndex((l) => l.includes("errors.push('name is required')")) + 1,
  severity: 'major' as const,
  problem: 'validate() accepts names of any length, but products.name is VARCHAR(100) (db/migrations/003).',
  fix: "Reject names longer than 100 characters, as customer.js does: errors.push('name must be at most 100 characters').",
};

/** Round 1: read the reference module, reject with REVIEW_ISSUE; round 2: read, approve. */
export const rejectOnceReview: AgentScript = ({ turn, attempt }) => {
  if (turn === 0) return say.look(read('server/entities/customer.js'));
  return attempt === 1
    ? reply.toolUse('submit_review', { verdict: 'rejected', issues: [REVIEW_ISSUE] })
    : say.approve();
};

export function productAgentsRejectingOnce(options: ProductAgentsOptions = {}): Record<string, AgentScript> {
  return {
    ...productAgents(options),
    backend: layerAgent(
      [read('server/entities/customer.js'), read('server/errors.js')],
      (attempt) => ({
        'server/entities/product.js': attempt === 1 ? PRODUCT_MODULE_WITHOUT_LENGTH_CHECK : PRODUCT_MODULE,
      }),
      'server/entities/product.js follows the simple pattern.',
    ),
    review: rejectOnceReview,
  };
}

/** For SessionOptions.hold: every layer's first model call of its first attempt is held back `holdMs`. */
export const holdLayersFirstCall =
  (holdMs: number, layers = ['database', 'backend', 'frontend']) =>
  (call: AgentCall): number | undefined =>
    layers.includes(call.agent) && call.turn === 0 && call.attempt === 1 ? holdMs : undefined;

/**
 * The backend tried three times (issue 47, `backendAttempts`), each attempt on its own model:
 * Haiku's module never passes validation, Opus's passes after a retry with a module of its own
 * (ATTEMPT_2_MODULE), the layer's model (Sonnet) writes the module the review rejects at once and
 * is kept. The review's fix, on the layer's model, writes the real module. Told apart by model and
 * task: AgentCall.attempt counts every backend conversation, three at a time here.
 */
export const ATTEMPT_2_MODULE = `// Attempt 2's module: Opus, after one retry.\n${PRODUCT_MODULE_WITHOUT_LENGTH_CHECK}`;
const PRODUCT_FILE = 'server/entities/product.js';

export const backendAttempts: AgentScript = ({ turn, continued, task, req }) => {
  if (task.includes('## REVIEW FIX MODE'))
    return (
      [say.look(read(PRODUCT_FILE)), say.write({ [PRODUCT_FILE]: PRODUCT_MODULE })][turn] ??
      say.done('The name is limited to 100 characters.')
    );
  if (req.body.model === 'claude-haiku-4-5')
    return turn === 0 ? say.write({ [PRODUCT_FILE]: BROKEN_PRODUCT_MODULE }) : say.done('Done.');
  if (req.body.model === 'claude-opus-5-5')
    return turn === 0
      ? say.write({ [PRODUCT_FILE]: continued ? ATTEMPT_2_MODULE : BROKEN_PRODUCT_MODULE })
      : say.done('Fixed after the retry.');
  return (
    [
      say.look(read('server/entities/customer.js')),
      say.look(read('server/errors.js')),
      say.write({ [PRODUCT_FILE]: PRODUCT_MODULE_WITHOUT_LENGTH_CHECK }),
    ][turn] ?? say.done('server/entities/product.js follows the simple pattern.')
  );
};

/** The shop's config with three attempts at the backend, on Haiku, Opus and the layer's model; one retry each, room for the three beside the database. */
export const backendAttemptsConfig = (yaml: string): string =>
  `${yaml
    .replace(/\n {2}backend:\n/, '\n  backend:\n    attempts: 3\n')
    .replace('maxRetries: 2', 'maxRetries: 1')
    .replace('concurrency: 3', 'concurrency: 4')
    .trimEnd()}\nattemptRunners: ["agent:claude-haiku-4-5", "agent:claude-opus-5-5", "agent"]\n`;
