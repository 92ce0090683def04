// Credential redaction (issue 8, point 3) masks the known formats, and no input makes it hang:
// it runs over text agents wrote. The adversarial inputs only have to finish (no timing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactSecrets, secretValuesIn, urlPassword } from '../../../src/core/text/secrets';

test('known credential formats are masked, ordinary code is not', () => {
  const cases: [string, string][] = [
    [`token: ghp_${'a'.repeat(36)}`, 'token: [REDACTED]'],
    [`github_pat_${'A1'.repeat(20)}`, '[REDACTED]'],
    ['id AKIAIOSFODNN7EXAMPLQ end', 'id [REDACTED] end'],
    ['AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'AWS_SECRET_ACCESS_KEY=[REDACTED]'],
    ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG', 'aws_secret_access_key = [REDACTED]'],
    [`//registry.npmjs.org/:_authToken=npm_${'x'.repeat(36)}`, '//registry.npmjs.org/:_authToken=[REDACTED]'],
    ['xoxb-123456789012-abcdefghij', '[REDACTED]'],
    ['https://hooks.slack.com/services/T000/B000/XXXX', '[REDACTED]'],
    [`sk-proj-${'q'.repeat(40)}`, '[REDACTED]'],
    ['sk-ant-api03-secret-value', '[REDACTED]'],
    ['Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345', 'Authorization: Bearer [REDACTED]'],
    ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', '[REDACTED]'],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nabc\n-----END RSA PRIVATE KEY-----', '[REDACTED]'],
    ['-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA', '[REDACTED]'],
    ['https://proxyuser:hunter2hunter2@proxy.example/v1', 'https://proxyuser:[REDACTED]@proxy.example/v1'],
    ['const password = z.string().min(8);', 'const password = z.string().min(8);'],
    ['function getToken(user) { return user.tokenValue; }', 'function getToken(user) { return user.tokenValue; }'],
  ];
  for (const [input, expected] of cases) assert.equal(redactSecrets(input).text, expected, input);
  assert.equal(redactSecrets('pw is s3cr3t-value-9 here', ['s3cr3t-value-9']).text, 'pw is [REDACTED] here');
  assert.equal(urlPassword('https://u:p%40ss-word@host/'), 'p@ss-word');
  assert.equal(urlPassword('https://host/'), undefined);
});

test('adversarial inputs that would make a careless pattern backtrack forever finish', () => {
  const size = 200 * 1024;
  const inputs = [
    `${'a.'.repeat(size / 2)}://x`,
    `${'TOKEN'.repeat(size / 5)}`,
    `${'-----BEGIN PRIVATE KEY-----\n'.repeat(size / 28)}`,
    `${'A_'.repeat(size / 2)}SECRET`,
    `x-api-key${' '.repeat(size)}`,
    `http://${'u'.repeat(size)}:${'p'.repeat(size)}`,
    `${'eyJ'.repeat(size / 3)}`,
  ];
  for (const input of inputs) assert.equal(typeof redactSecrets(input).text, 'string');
});

test('the shortest texts a pattern masks are still masked; shorter ones pass untouched without being scanned', () => {
  assert.equal(redactSecrets('sk-ant-').text, '[REDACTED]', 'seven characters: the shortest credential shape');
  assert.equal(redactSecrets('a://b:c@').text, 'a://b:[REDACTED]@');
  assert.equal(redactSecrets('12345678', ['12345678']).text, '[REDACTED]', 'a secret by value at its minimum length');
  for (const short of ['type', 'runId', 'sk-ant', 'ts', ''])
    assert.deepEqual(redactSecrets(short, ['sk-ant']), { text: short, count: 0 });
});

test("a secrets file's values, to mask by value: assignments, long tokens, a key's lines; not its short words, nor a binary file", () => {
  const env = 'export SIGNING_SEED="fixture-seed-0123"\nPORT=3000\nNAME: shop\n';
  assert.deepEqual(secretValuesIn(env), ['SIGNING_SEED="fixture-seed-0123', 'fixture-seed-0123']);
  const key = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2ouKAcaB\n-----END PUBLIC KEY-----\n';
  assert.deepEqual(secretValuesIn(key), ['MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2ouKAcaB']);
  assert.deepEqual(secretValuesIn('{"client_secret": "s3cr3t-value-of-the-app"}'), ['s3cr3t-value-of-the-app']);
  assert.deepEqual(secretValuesIn('KEY\0binary-bytes-of-a-keystore'), []);
  const printed = `line 2: ${'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2ouKAcaB'} unexpected`;
  assert.equal(redactSecrets(printed, secretValuesIn(key)).text, 'line 2: [REDACTED] unexpected');
});
