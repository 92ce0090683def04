// Who may start or decide a run is asked of GitHub (src/github/client.ts), against the scripted
// GitHub REST server: deliveries that want the same person's permission at the same moment (twenty
// issues labelled together) share one question and its answer; a later delivery asks again, so a
// collaborator whose access was just revoked is refused at once; different people are asked apart.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { GithubClient } from '../../../src/github/client';
import { startGithubApi, type GithubApi } from '../../support/githubApiServer';

const TOKEN = 'github_pat_11ABCDEFG0aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789abcdefghijklmnop';
const roles: Record<string, 'admin' | 'write' | 'read'> = { alice: 'write', rita: 'read' };
let api: GithubApi;
let client: GithubClient;

before(async () => {
  api = await startGithubApi({ owner: 'acme', repo: 'shop', roles, token: TOKEN });
  client = await GithubClient.open({
    owner: 'acme',
    repo: 'shop',
    apiUrl: api.url,
    label: 'orchestrator',
    maxCiFixes: 3,
    auth: { kind: 'token', token: TOKEN },
    webhookSecret: 'secret',
  });
});
after(() => api.close());

const asked = (login: string) =>
  api.requests.filter((r) => r.path === `/repos/acme/shop/collaborators/${login}/permission`).length;

test('twenty questions about one person at once are one request to GitHub, each given its answer', async () => {
  const answers = await Promise.all(Array.from({ length: 20 }, () => client.permission('alice')));
  assert.deepEqual(new Set(answers), new Set(['write']));
  assert.equal(asked('alice'), 1);
});

test('a later question is asked again: access revoked meanwhile is refused at once', async () => {
  const before = asked('alice');
  assert.equal(await client.permission('alice'), 'write');
  roles.alice = 'read';
  assert.equal(await client.permission('alice'), 'read');
  assert.equal(asked('alice') - before, 2);
});

test('different people at once are asked apart; someone GitHub does not know has no permission', async () => {
  const [alice, rita, nobody] = await Promise.all([
    client.permission('alice'),
    client.permission('rita'),
    client.permission('mallory'),
  ]);
  assert.deepEqual([alice, rita, nobody], ['read', 'read', 'none']);
  assert.equal(asked('rita'), 1);
  assert.equal(asked('mallory'), 1);
});
