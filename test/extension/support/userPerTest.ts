/**
 * The per-test hooks of a suite that answers the extension's dialogs as a fake user: a new user
 * before each test (`user`, by default one who answers nothing), restored after it; with `endRuns`, a run still going after a test
 * is cancelled and awaited, so the next test starts with none. Call it in the suite's body; the
 * returned function gives the running test's user.
 */
import * as vscode from 'vscode';
import { until, view } from './host';
import { FakeUser } from './ui';

export function userPerTest(options: { user?: () => FakeUser; endRuns?: boolean } = {}): () => FakeUser {
  let user: FakeUser | undefined;
  setup(() => {
    user = options.user ? options.user() : new FakeUser();
  });
  teardown(async () => {
    user?.restore();
    user = undefined;
    if (!options.endRuns) return;
    if (view().busy) await vscode.commands.executeCommand('orchestrator.cancelRun');
    await until(() => !view().busy, 20_000, 'no run in progress');
  });
  return () => {
    if (!user) throw new Error('no test is running: the fake user exists from setup to teardown');
    return user;
  };
}
