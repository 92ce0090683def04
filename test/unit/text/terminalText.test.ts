// The one sanitizer every CLI printer goes through: what acts on a terminal is shown instead.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { visibleLine, visibleText } from '../../../src/core/text/terminalText';

test('terminal text: C0, DEL and C1 controls, bidi overrides, zero-width and tag characters and lone surrogates become escapes; newlines and tabs stay unless single-line', () => {
  assert.equal(visibleText('a\u001b[2Jb\rc\u0007d\u007f\u009be'), 'a\\x1b[2Jb\\rc\\x07d\\u007f\\u009be');
  assert.equal(visibleText('x\u202ey\u2066z\u200b\ufeff'), 'x\\u202ey\\u2066z\\u200b\\ufeff');
  assert.equal(visibleText('tag\udb40\udc41'), 'tag\\udb40\\udc41');
  assert.equal(visibleText('lone\ud800 end'), 'lone\\ud800 end');
  assert.equal(visibleText('line 1\n\tline 2'), 'line 1\n\tline 2');
  assert.equal(visibleLine('line 1\n\tline 2'), 'line 1\\n\\tline 2');
  assert.equal(
    visibleText('ünïcödé 日本 😀 e\u0301'),
    'ünïcödé 日本 😀 e\u0301',
    'ordinary text, emoji and combining accents untouched',
  );
});

test('terminal text: JSON passed through the filter stays JSON and parses to the same value', () => {
  const value = {
    title: 'Fix\u001b[2J\rnow \u202eexe.txt\u200b\udb40\udc41 \u009b31mred\u007f',
    nested: ['\u2028', 'ok'],
  };
  const shown = visibleText(JSON.stringify(value));
  assert.doesNotMatch(shown, /[\u2028\u202e\u200b\u007f-\u009f]/);
  assert.deepEqual(JSON.parse(shown), value);
});
