/**
 * What a test process shares across its files (a code-server, a Chromium) is stopped after its
 * last test. In a process of its own, a file's module-level `after` is the root's and runs then;
 * in a shard of run-node-tests.mjs the same call would land in the suite of the file that loaded
 * the module first (test/support/testShard.ts) and stop it after that file, so the shard's entry
 * runs these at its own root instead.
 */
import { after } from 'node:test';

const closers: (() => Promise<void> | void)[] = [];

/** Runs `close` after the process's last test. Call it at a module's top level. */
export function atProcessEnd(close: () => Promise<void> | void): void {
  if (process.env.ORCH_SHARD_FILES) closers.push(close);
  else after(close);
}

/** The shard's root `after` hook (testShard.ts): the closers, each whatever the others do. */
export async function runProcessEnd(): Promise<void> {
  const errors = (await Promise.allSettled(closers.splice(0).map(async (close) => close()))).flatMap((r) =>
    r.status === 'rejected' ? [r.reason as unknown] : [],
  );
  if (errors.length > 0) throw new AggregateError(errors, 'a process-end hook failed');
}
