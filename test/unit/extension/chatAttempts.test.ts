/**
 * `--attempts N` in VS Code's chat (issue 47): the leading option of `/feature`, `/bugfix` and
 * `/approve`, parsed and checked as the CLI's (1 to MAX_ATTEMPTS), and the `attempts` input of the
 * `orchestrator_start*` tools, whose schema in package.json says the same bounds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { MAX_ATTEMPTS } from '../../../src/core/text/runnerNames';
import { check, leadingAttempts, startRunInput } from '../../../src/extension/chat/chatInputs';

const USAGE = '/feature --attempts 3 Add a Supplier entity';

test('a leading --attempts N is taken off the prompt; the rest is the request', () => {
  assert.deepEqual(leadingAttempts('  --attempts 3 Add a Supplier entity ', USAGE), {
    ok: true,
    value: { attempts: 3, rest: 'Add a Supplier entity' },
  });
  assert.deepEqual(leadingAttempts('--attempts=2\nOrders total ignores discounts', USAGE), {
    ok: true,
    value: { attempts: 2, rest: 'Orders total ignores discounts' },
  });
  assert.deepEqual(leadingAttempts(`--attempts ${MAX_ATTEMPTS} 2026-11-24-supplier`, USAGE), {
    ok: true,
    value: { attempts: MAX_ATTEMPTS, rest: '2026-11-24-supplier' },
  });
  assert.deepEqual(
    leadingAttempts('--attempts 1', USAGE),
    { ok: true, value: { attempts: 1, rest: '' } },
    'the caller says the request is missing',
  );
  // Not a leading option: the prompt as it is, `--attempts` inside the request included.
  assert.deepEqual(leadingAttempts('Add a Supplier entity --attempts 3', USAGE), {
    ok: true,
    value: { rest: 'Add a Supplier entity --attempts 3' },
  });
  assert.deepEqual(leadingAttempts('--attemptsy 3 x', USAGE), { ok: true, value: { rest: '--attemptsy 3 x' } });
});

test("a bad --attempts is refused with the range, what was given as code, and the command's example", () => {
  for (const [prompt, got] of [
    ['--attempts 0 Add it', '`0`'],
    [`--attempts ${MAX_ATTEMPTS + 1} Add it`, `\`${MAX_ATTEMPTS + 1}\``],
    ['--attempts 2.5 Add it', '`2.5`'],
    ['--attempts=-1 Add', '`-1`'],
    ['--attempts Add a Supplier', '`Add`'],
    ['--attempts', 'nothing'],
    ['--attempts 0x3 Add', '`0x3`'],
  ] as const) {
    const result = leadingAttempts(prompt, USAGE);
    assert.equal(result.ok, false, prompt);
    assert.equal(
      !result.ok && result.error,
      `\`--attempts\` takes a whole number from 1 to ${MAX_ATTEMPTS} (got ${got}), e.g. \`${USAGE}\`.`,
    );
  }
  // What was typed is shown as code, never as markdown: a backtick in it cannot close the span.
  const tricky = leadingAttempts('--attempts `[x](http://a)` Add', '/approve --attempts 3 <specId>');
  assert.match(
    !tricky.ok ? tricky.error : '',
    /\(got `` `\[x\]\(http:\/\/a\)` ``\), e\.g\. `\/approve --attempts 3 <specId>`\.$/,
  );
});

test('the start tools take attempts from 1 to MAX_ATTEMPTS, as their inputSchema in package.json says', () => {
  assert.deepEqual(check(startRunInput, { request: 'Add a Supplier entity', attempts: 3 }), {
    ok: true,
    value: { request: 'Add a Supplier entity', attempts: 3 },
  });
  for (const attempts of [0, MAX_ATTEMPTS + 1, 2.5, '3']) {
    const result = check(startRunInput, { request: 'Add a Supplier entity', attempts });
    assert.match(result.ok ? '' : result.error, /^attempts: /, String(attempts));
  }
  const tools = (
    JSON.parse(readFileSync('package.json', 'utf8')) as {
      contributes: {
        languageModelTools: {
          name: string;
          inputSchema: { properties: Record<string, { type: string; minimum?: number; maximum?: number }> };
        }[];
      };
    }
  ).contributes.languageModelTools;
  for (const name of ['orchestrator_startFeature', 'orchestrator_startBugfix']) {
    const schema = tools.find((t) => t.name === name)?.inputSchema.properties.attempts;
    assert.deepEqual([schema?.type, schema?.minimum, schema?.maximum], ['integer', 1, MAX_ATTEMPTS], name);
  }
});
