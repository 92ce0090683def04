import assert from 'node:assert/strict';
import type { RunSummary } from '../../../src/core/api';
import { TEST_PROVIDER } from '../modelServer';

/**
 * A run of a test workspace in Restricted Mode. The openai tier's workspace names its model
 * endpoint (`providers.openai.baseURL`), which an untrusted workspace never gets to use (issue 44):
 * there the run is refused before it starts, saying why, with no model call, and this resolves
 * undefined; on the other tiers, with the run's summary.
 */
export async function untrustedRun(
  run: () => Promise<RunSummary>,
  modelCalls: () => number,
): Promise<RunSummary | undefined> {
  if (TEST_PROVIDER !== 'openai') return run();
  await assert.rejects(
    run(),
    /Restricted Mode: this workspace's \.claude\/orchestrator\.yaml sets providers\.openai\.baseURL/,
  );
  assert.equal(modelCalls(), 0, 'no model call');
  return undefined;
}
