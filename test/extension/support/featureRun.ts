/** Hooks shared by the suites that start feature runs (03-featureRun, 05-cancelResume). */
import * as assert from 'node:assert/strict';
import { requireApi } from './api';
import { activated, view } from './host';
import { FakeUser } from './ui';

/** For suiteSetup: the test server is there, the extension is active and no run is in progress. */
export async function readyForARun(ctx: Mocha.Context): Promise<void> {
  requireApi(ctx);
  await activated();
  assert.equal(view().busy, false, 'a run is still in progress');
}

/** A fake user who approves the schema change the database agent asks about (a modal dialog). */
export function userApprovingSchemaChanges(): FakeUser {
  const user = new FakeUser();
  user.onMessage = (m) => (m.modal && /will change the schema/.test(m.message) ? 'Yes' : undefined);
  return user;
}
