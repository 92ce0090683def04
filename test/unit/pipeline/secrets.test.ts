// Secrets never leave (issue 8, point 3) and commands get a minimal environment (point 1):
// an agent that lists, searches and reads everything it can find in a workspace full of
// secrets, through the real SDK. Every request body the test server received, the journal
// and the checkpoint ref are grepped for the secrets afterwards.
import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { engine } from '../../../src/core/engine';
import { block, reply } from '../../support/messagesApiServer';
import { say, specAnswer } from '../../support/engine/agentScript';
import { PRODUCT_API_SPEC, PRODUCT_MODULE } from '../../support/engine/fixtures';
import { harness, journalOf } from '../../support/engine/harness';
import { PACKAGE_MANAGER_ENV, TOOLCHAIN_VARIABLES } from '../../../src/core/sandbox/toolchains';
import { withLimit } from '../../support/engine/shopWorkspace';

const GITHUB = `ghp_${'a1B2c3D4e5'.repeat(4)}`;
const AWS_ID = 'AKIAIOSFODNN7EXAMPLQ';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const NPM = `npm_${'Z9y8X7w6V5'.repeat(3)}abcdef`;
const PEM_BODY = 'MIIEowIBAAKCAQEA7secretpemBODYqwertyuiop';
const DB_PASSWORD = 'hunter2-db-pass-xyz';
const NOTE = 'gitignored-note-secret-4711';
const SLACK = `xoxb-${'1234567890'}-abcdefghijklmnop`;
const SECRETS = [GITHUB, AWS_ID, AWS_SECRET, NPM, PEM_BODY, DB_PASSWORD, NOTE, SLACK];
/** Only in denied or ignored files (the others are also in a source file, which a checkpoint keeps like a commit would). */
const DENIED_ONLY = [GITHUB, AWS_SECRET, NPM, PEM_BODY, DB_PASSWORD, NOTE];

const SECRET_FILES: Record<string, string> = {
  '.env': `GITHUB_TOKEN=${GITHUB}\nDB_PASSWORD=${DB_PASSWORD}\n`,
  '.env.local': `SLACK_TOKEN=${SLACK}\n`,
  id_rsa: `-----BEGIN OPENSSH PRIVATE KEY-----\n${PEM_BODY}\n-----END OPENSSH PRIVATE KEY-----\n`,
  '.npmrc': `//registry.npmjs.org/:_authToken=${NPM}\n`,
  '.aws/credentials': `[default]\naws_access_key_id = ${AWS_ID}\naws_secret_access_key = ${AWS_SECRET}\n`,
  'config/service-credentials.json': JSON.stringify({ key: AWS_SECRET }),
  'deploy/SECRETS.JSON': JSON.stringify({ db: DB_PASSWORD }),
  'local-notes.txt': `${NOTE}\n`,
  // Not on the deny list, but the tokens in it are in known formats: redacted on the way out.
  'server/settings.js': `module.exports = { awsKeyId: '${AWS_ID}', slack: '${SLACK}' };\n`,
};

const SNOOP_PATHS = [
  '.env',
  '.ENV',
  '.env.local',
  'id_rsa',
  '.npmrc',
  '.aws/credentials',
  'config/service-credentials.json',
  'deploy/SECRETS.JSON',
  'server/env.txt',
  'local-notes.txt',
];

test('secrets never reach the model, the journal or the checkpoint; commands see only the minimal environment', async () => {
  const saved = {
    GITHUB_TOKEN: process.env.GITHUB_TOKEN,
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY,
    NODE_ENV: process.env.NODE_ENV,
  };
  process.env.GITHUB_TOKEN = GITHUB;
  process.env.AWS_SECRET_ACCESS_KEY = AWS_SECRET;
  process.env.NODE_ENV = 'shop-test';
  const h = await harness(
    {
      spec: specAnswer('Product API', 'product-api', PRODUCT_API_SPEC),
      backend: ({ turn }) => {
        if (turn === 0) {
          return reply.turn([
            block.toolUse('list_files', {}),
            block.toolUse('search_files', { query: 'ghp_|AKIA|PRIVATE KEY|npm_|hunter2|xoxb|gitignored-note' }),
            ...SNOOP_PATHS.map((path) => block.toolUse('read_file', { path })),
            block.toolUse('read_file', { path: 'server/settings.js' }),
            block.toolUse('list_files', { path: '.aws' }),
          ]);
        }
        if (turn === 1) return say.write({ 'server/entities/product.js': PRODUCT_MODULE });
        return say.done();
      },
      review: () => say.approve(),
    },
    {
      config: (yaml) =>
        yaml
          .replace(
            'validate: ["node scripts/check-server.js server"]',
            'validate: ["node scripts/check-server.js server", "node scripts/env-dump.js"]',
          )
          .replace(/\nlimits:/, '\ncommandEnv: [NODE_ENV]\nlimits:'),
      files: {
        'scripts/env-dump.js': "require('node:fs').writeFileSync('env-seen.json', JSON.stringify(process.env));\n",
      },
    },
  );
  try {
    // Untracked, as secrets usually are: only the checkpoint could capture them.
    for (const [path, content] of Object.entries(SECRET_FILES)) h.shop.write(path, content);
    h.shop.write('.gitignore', `${h.shop.read('.gitignore')}local-notes.txt\nenv-seen.json\n`);
    symlinkSync('../.env', join(h.shop.dir, 'server/env.txt'));

    const summary = await engine.runFeature('Add a Product API', h.options());
    assert.equal(summary.status, 'completed', summary.error);

    // What the agent was told instead of the secrets.
    const results = (
      h.callsOf('backend')[1]!.req.body.messages.at(-1)!.content as {
        type: string;
        content?: string;
        is_error?: boolean;
      }[]
    ).filter((b) => b.type === 'tool_result');
    const [listing, search, ...reads] = results;
    assert.doesNotMatch(listing!.content!, /\.env|id_rsa|\.npmrc|\.aws|credentials|SECRETS|local-notes/);
    assert.match(listing!.content!, /server\/settings\.js/);
    assert.doesNotMatch(search!.content!, /\.env|id_rsa|\.npmrc|credentials|local-notes/);
    for (const [i, path] of SNOOP_PATHS.entries()) {
      assert.equal(reads[i]!.is_error, true, `${path} was read`);
      assert.match(
        reads[i]!.content!,
        path === 'local-notes.txt' ? /ignored by \.gitignore/ : /privacy deny list/,
        path,
      );
    }
    const settings = reads[SNOOP_PATHS.length]!;
    assert.equal(settings.is_error, undefined);
    assert.match(settings.content!, /awsKeyId: '\[REDACTED\]', slack: '\[REDACTED\]'/);
    assert.match(settings.content!, /2 value\(s\) that look like secrets/);
    assert.match(reads.at(-1)!.content!, /privacy deny list/);

    const leaks = (where: string, text: string) => SECRETS.filter((s) => text.includes(s)).map((s) => `${where}: ${s}`);
    const found = [
      ...h.api.requests.flatMap((r) => leaks(`request ${r.index}`, JSON.stringify(r.body))),
      ...leaks('journal', h.shop.read(`.claude/runs/${summary.runId}/events.jsonl`)),
    ];
    const ref = `refs/orchestrator/${summary.runId}`;
    const tree = h.shop.git('ls-tree', '-r', '--name-only', ref).split('\n');
    for (const path of [
      '.env',
      '.env.local',
      'id_rsa',
      '.npmrc',
      '.aws/credentials',
      'config/service-credentials.json',
      'deploy/SECRETS.JSON',
      'local-notes.txt',
    ]) {
      assert.ok(!tree.includes(path), `${path} is in the checkpoint`);
    }
    for (const secret of DENIED_ONLY) {
      const grep = (() => {
        try {
          return h.shop.git('grep', '-F', '-e', secret, ref);
        } catch {
          return ''; // no match
        }
      })();
      if (grep) found.push(`checkpoint: ${grep.trim()}`);
    }
    // Not even hashed into the object store (no loose blob of a denied file waits for git gc).
    const objects = h.shop.git('cat-file', '--batch-all-objects', '--batch');
    found.push(...DENIED_ONLY.filter((secret) => objects.includes(secret)).map((secret) => `object store: ${secret}`));
    assert.deepEqual(found, []);

    // The validate command's environment: PATH, HOME, LANG, TMPDIR and commandEnv only, and the
    // sandbox's pointers to the toolchains of the user's HOME (RUSTUP_HOME…), which its private HOME hides,
    // and what keeps pnpm from reinstalling before a script for the store that HOME moved.
    const seen = JSON.parse(h.shop.read('env-seen.json')) as Record<string, string>;
    assert.equal(seen.GITHUB_TOKEN, undefined);
    assert.equal(seen.AWS_SECRET_ACCESS_KEY, undefined);
    assert.equal(seen.ANTHROPIC_API_KEY, undefined);
    assert.equal(seen.NODE_ENV, 'shop-test');
    // Nothing of ours either: a project's tests of its own colour handling pass as in its CI.
    assert.deepEqual([seen.NO_COLOR, seen.FORCE_COLOR], [undefined, undefined]);
    assert.equal(seen.PATH, process.env.PATH);
    const allowed = new Set([
      'PATH',
      'HOME',
      'LANG',
      'TMPDIR',
      'NODE_ENV',
      'PWD',
      'SHLVL',
      '_',
      'OLDPWD',
      ...TOOLCHAIN_VARIABLES,
      ...Object.keys(PACKAGE_MANAGER_ENV),
    ]);
    assert.deepEqual(
      Object.keys(seen).filter((k) => !allowed.has(k)),
      [],
    );
    assert.ok(journalOf(h.shop, summary.runId).some((e) => e.type === 'validation.passed'));
  } finally {
    await h.close();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
});

test("the password in ANTHROPIC_BASE_URL's userinfo never reaches the journal", async () => {
  // Nothing scripted: every call fails, and the run stops once a 1 s retry window has passed.
  const h = await harness({}, { config: withLimit('apiRetryWindowSec', 1) });
  try {
    const api = new URL(h.api.url);
    const baseURL = `http://proxyuser:pw-Secret-77331@${api.host}`;
    const summary = await engine.runFeature('Add a Product API', h.options({ baseURL }));
    assert.notEqual(summary.status, 'completed');
    const journal = h.shop.read(`.claude/runs/${summary.runId}/events.jsonl`);
    // The run stopped before any model answered (fetch refuses credentials in a URL); the password appears nowhere.
    assert.match(journal, /"type":"run\.stopped"/);
    assert.ok(!journal.includes('pw-Secret-77331'), 'the password is in the journal');
    assert.ok(!JSON.stringify(summary).includes('pw-Secret-77331'), 'the password is in the summary');
  } finally {
    await h.close();
  }
});
