import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyState, filesOfState, stateOfFiles } from '../../../src/github/action/issueState';
import type { IssueLink } from '../../../src/github/store';

// Issue 48: an issue's state as its ref holds it (state.json and the journals), read back checked:
// anyone who may push may write that ref, so what a later job acts on is what the channel wrote.

const SET_ASIDE: IssueLink = {
  issue: 7,
  issueUrl: 'https://github.example/acme/shop/issues/7',
  runId: '20261126-094211-7ae6',
  kind: 'feature',
  by: 'alice',
  status: 'waiting',
  specId: '2026-11-26-product-entity',
  confirmation: {
    kind: 'schema-change',
    agent: 'database',
    paths: ['db/migrations/004_product_index.sql'],
    since: '2026-11-26T09:42:11.000Z',
    commentId: 1001,
    parked: { waitSec: 86_400 },
  },
  answered: [{ kind: 'many-files', agent: 'backend', paths: ['a.js', 'b.js'], allowed: false, by: 'alice' }],
};

function withLinks(links: unknown[]): Map<string, string> {
  const files = filesOfState({ ...emptyState(7), links: [SET_ASIDE] });
  const body = JSON.parse(files.get('state.json')!) as Record<string, unknown>;
  files.set('state.json', JSON.stringify({ ...body, links }));
  return files;
}

test('a run set aside on a confirmation: its question and the answers given so far come back from the ref as written', () => {
  const files = filesOfState({
    ...emptyState(7),
    links: [SET_ASIDE],
    journals: new Map([[SET_ASIDE.runId, '{"seq":1}\n']]),
  });
  const state = stateOfFiles(7, files);
  assert.deepEqual(state.links, [SET_ASIDE]);
  assert.equal(state.journals.get(SET_ASIDE.runId), '{"seq":1}\n');
});

test('answers that are not answers, or a wait that is not a wait: refused naming the field, never acted on', () => {
  assert.throws(
    () => stateOfFiles(7, withLinks([{ ...SET_ASIDE, answered: 'yes' }])),
    /state\.json of issue #7: links\.0\.answered: /,
  );
  assert.throws(
    () =>
      stateOfFiles(
        7,
        withLinks([
          {
            ...SET_ASIDE,
            answered: [{ kind: 'many-files', agent: 'backend', paths: ['a.js'], allowed: 'true', by: 'alice' }],
          },
        ]),
      ),
    /links\.0\.answered\.0\.allowed/,
  );
  assert.throws(
    () =>
      stateOfFiles(
        7,
        withLinks([{ ...SET_ASIDE, confirmation: { ...SET_ASIDE.confirmation, parked: { waitSec: -1 } } }]),
      ),
    /links\.0\.confirmation\.parked\.waitSec/,
  );
  assert.throws(() => stateOfFiles(7, withLinks([{ ...SET_ASIDE, issue: 8 }])), /another issue's/);
});
