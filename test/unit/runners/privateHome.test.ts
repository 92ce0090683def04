// A CLI agent's private home (issue 36, part 2): only its own CLI's sign-in comes in from the
// user's home, copied (never linked: a link leads out of the sandbox and a token renewal would
// write through it); the user's ~/.ssh, ~/.aws, ~/.config/gh, ~/.netrc, shell start-up files and
// other CLIs' credentials never do. The same folder serves every attempt (sessions resume).
import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import { claudeSignIn } from '../../../src/core/runners/claudeCode/claudeCodeSettings';
import { codexSignIn } from '../../../src/core/runners/codex/codexAdapter';
import { geminiSignIn } from '../../../src/core/runners/gemini/geminiHome';
import { opencodeSignIn } from '../../../src/core/runners/opencode/opencodeAdapter';
import { preparePrivateHome, type SignIn } from '../../../src/core/runners/cliAgent/privateHome';

const USER_FILES: Record<string, string> = {
  '.ssh/id_rsa': 'CANARY-ssh-key',
  '.aws/credentials': 'CANARY-aws',
  '.config/gh/hosts.yml': 'CANARY-gh',
  '.netrc': 'CANARY-netrc',
  '.bashrc': 'CANARY-bashrc',
  '.claude/.credentials.json': '{"claudeAiOauth":{"accessToken":"sk-ant-oat-user"}}',
  '.claude/settings.json': '{"hooks":{"PreToolUse":[]}}',
  '.claude.json': JSON.stringify({
    oauthAccount: { emailAddress: 'me@example.com' },
    userID: 'u1',
    hasCompletedOnboarding: true,
    projects: { '/home/me/secret-project': { history: ['CANARY-history'] } },
  }),
  '.codex/auth.json': '{"OPENAI_API_KEY":"sk-codex-user"}',
  '.codex/config.toml': 'CANARY-codex-config',
  '.gemini/oauth_creds.json': '{"access_token":"ya29.user"}',
  '.gemini/settings.json': 'CANARY-gemini-settings',
  '.local/share/opencode/auth.json': '{"anthropic":{"key":"sk-oc"}}',
  '.copilot/config.json': 'CANARY-copilot',
};

function files(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name), base) : [relative(base, join(dir, e.name))]))
    .sort();
}

function world() {
  const box = mkdtempSync(join(tmpdir(), 'orch-private-home-'));
  const user = join(box, 'user');
  for (const [path, content] of Object.entries(USER_FILES)) {
    mkdirSync(dirname(join(user, path)), { recursive: true });
    writeFileSync(join(user, path), content);
  }
  return { box, user, root: join(box, 'agents', 'run-1', 'backend') };
}

const cases: [string, SignIn | undefined, string[]][] = [
  ['claude-code', claudeSignIn, ['.claude.json', '.claude/.credentials.json']],
  ['codex', codexSignIn, ['.codex/auth.json']],
  ['gemini', geminiSignIn, ['.gemini/oauth_creds.json']],
  ['opencode', opencodeSignIn, ['.local/share/opencode/auth.json']],
  ['copilot (signs in by its variables)', undefined, []],
];

for (const [name, signIn, expected] of cases) {
  test(`${name}: the private home holds its sign-in only, copied, owner-only`, () => {
    const { box, user, root } = world();
    try {
      const place = preparePrivateHome(root, signIn, { HOME: user });
      assert.deepEqual(files(place.home), expected);
      for (const file of expected) {
        assert.ok(lstatSync(join(place.home, file)).isFile(), `${file} is a copy, not a link`);
        assert.equal(statSync(join(place.home, file)).mode & 0o077, 0, `${file} is the owner's only`);
      }
      assert.equal(statSync(place.home).mode & 0o777, 0o700);
      assert.equal(statSync(place.tmp).mode & 0o777, 0o700);
      assert.ok(!place.home.startsWith(user) && !place.tmp.startsWith(user));
      assert.doesNotMatch(
        files(place.home)
          .map((f) => readFileSync(join(place.home, f), 'utf8'))
          .join('\n'),
        /CANARY/,
      );
    } finally {
      rmSync(box, { recursive: true, force: true });
    }
  });
}

test('claude-code: of ~/.claude.json only the account comes in, merged into what the CLI keeps there; a renewed sign-in is taken at the next attempt', () => {
  const { box, user, root } = world();
  try {
    const place = preparePrivateHome(root, claudeSignIn, { HOME: user });
    const state = JSON.parse(readFileSync(join(place.home, '.claude.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(state, {
      oauthAccount: { emailAddress: 'me@example.com' },
      userID: 'u1',
      hasCompletedOnboarding: true,
    });
    // Claude Code writes its own state there (its projects, this worktree's sessions) …
    writeFileSync(
      join(place.home, '.claude.json'),
      JSON.stringify({ ...state, projects: { [root]: { allowedTools: [] } } }),
    );
    // … the user signs in again meanwhile …
    writeFileSync(join(user, '.claude', '.credentials.json'), '{"claudeAiOauth":{"accessToken":"sk-ant-oat-renewed"}}');
    const again = preparePrivateHome(root, claudeSignIn, { HOME: user });
    assert.equal(again.home, place.home, 'the same home for every attempt');
    assert.match(readFileSync(join(again.home, '.claude', '.credentials.json'), 'utf8'), /renewed/);
    assert.deepEqual(Object.keys(JSON.parse(readFileSync(join(again.home, '.claude.json'), 'utf8')) as object).sort(), [
      'hasCompletedOnboarding',
      'oauthAccount',
      'projects',
      'userID',
    ]);
  } finally {
    rmSync(box, { recursive: true, force: true });
  }
});
