// The import tests' fixtures: a fixture folder brought into the shop and approved to COMPLETE,
// and what the tests read of a run: a layer's request, the spec's task lines, the ids named.
import assert from 'node:assert/strict';
import { engine } from '../../../src/core/engine';
import { loadSpec } from '../../../src/core/project/specs/specs';
import type { AgentCall } from '../../support/engine/agentScript';
import type { Harness } from '../../support/engine/harness';
import { copySpecFolder } from '../../support/specFixtures';

/** The fixture folder copied into the shop and committed, as a user's repository would hold it. */
export function bring(h: Harness, fixture: string, at: string): void {
  copySpecFolder(h.shop.dir, fixture, at);
  h.shop.git('add', '-A');
  h.shop.git('commit', '-q', '-m', `bring ${fixture}`);
}

/** Brings `fixture` to `at` and approves the folder with --yes, to COMPLETE: its spec's id and the spec as the run left it. */
export async function approvedToComplete(h: Harness, fixture: string, at: string) {
  bring(h, fixture, at);
  const summary = await engine.approveSpec(at, h.options());
  assert.equal(summary.status, 'completed', summary.error);
  const specId = h.host.ofType('spec.approved')[0]!.specId;
  return { specId, spec: await loadSpec(h.shop.dir, specId) };
}

/** Every run reviewed, however few files it changes. */
export const REVIEW_ALWAYS = {
  config: (yaml: string) => yaml.replace('skipIfFilesChangedAtMost: 3', 'skipIfFilesChangedAtMost: 0'),
};

/** The text of a layer's first request: the shared blocks and its task list. */
export function requestText(call: AgentCall | undefined): string {
  assert.ok(call, 'the layer was called');
  return JSON.stringify(call.req.body);
}

/** The task lines of the spec's Tasks section. */
export function taskLines(body: string): string[] {
  return body
    .slice(body.indexOf('### Tasks'))
    .split('\n')
    .filter((l) => /^\d+\. \[/.test(l));
}

export function assertNames(json: string, ids: readonly string[]): void {
  const missing = ids.filter((id) => !new RegExp(`(^|[^\\w.-])${id.replace(/\./g, '\\.')}(?![\\w]|\\.\\d)`).test(json));
  assert.deepEqual(missing, [], 'every id of the source is named');
}

/** A request's system prompt as text, whether a string or blocks. */
export const systemText = (call: { req: { body: { system?: unknown } } }): string => {
  const system = call.req.body.system;
  return typeof system === 'string' ? system : (system as { text: string }[]).map((b) => b.text).join('\n');
};
