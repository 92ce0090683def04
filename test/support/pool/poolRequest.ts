// Pool requests as a dispatch writes them, for the tests of the pool's store and of what reads it
// (the board, the portal, the chat's status): placeholder commits, the run's own changes ref.
import type { PoolRequest } from '../../../src/pool/types';

/** A request for `runId`: a feature with no flags or labels, from lee's team/shop; `over` sets anything else. */
export function poolRequest(runId: string, over: Partial<PoolRequest> = {}): PoolRequest {
  return {
    runId,
    kind: 'feature',
    request: 'Product entity',
    remote: 'team/shop',
    baseCommit: 'a'.repeat(40),
    changesRef: `refs/orchestrator/base/${runId}`,
    changesCommit: 'b'.repeat(40),
    flags: {},
    labels: [],
    requestedBy: 'lee',
    ...over,
  };
}

/**
 * Requests numbered from 1 under `stamp` (run `<stamp>-0001`, asking for `feature 1`, …), with
 * `defaults`, then each call's `overrides` (its changes ref stays the numbered run's).
 */
export function numberedRequests(
  stamp: string,
  defaults: Partial<PoolRequest> = {},
): (overrides?: Partial<PoolRequest>) => PoolRequest {
  let n = 0;
  return (overrides = {}) => {
    const runId = `${stamp}-${(++n).toString(16).padStart(4, '0')}`;
    return poolRequest(runId, {
      request: `feature ${n}`,
      remote: '/tmp/remote.git',
      requestedBy: 'test',
      ...defaults,
      ...overrides,
    });
  };
}
