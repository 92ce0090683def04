// The sidebar's spec (issue 44): links, images and raw HTML in spec text are shown as text; the
// spec keeps its headings, lists, tables and code. The HTML is checked before DOMPurify, which
// removes any <a> or <img> left as a second guard.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inertHtml } from '../../../webview/markdown';

const SPEC = [
  '---',
  'id: product-entity',
  '---',
  '## Spec: Product entity',
  '',
  '- [ ] 1. Backend: `server/entities/product.js` [x](command:orchestrator.approveSpec)',
  '- see ![p](http://evil.example/p.png) and <img src="http://evil.example/i.png"> or https://evil.example/x',
  '',
  '<div onclick="x()"><a href="command:workbench.action.terminal.new">raw</a></div>',
  '',
  '| a | b |',
  '|---|---|',
  '| <b>x</b> | [y](http://evil.example/y) |',
  '',
  '```js',
  'const a = "<img src=x>";',
  '```',
].join('\n');

test('a spec with links, images and HTML renders none of them live', () => {
  const html = inertHtml(SPEC);
  assert.doesNotMatch(html, /<a\b|<img\b|<div\b|<b>|onclick="/i, html);
  assert.match(html, /<h2>Spec: Product entity<\/h2>/);
  assert.match(html, /<table>/);
  assert.match(html, /<input [^>]*type="checkbox"/);
  assert.match(html, /x \(command:orchestrator\.approveSpec\)/, 'a link reads as its text and its target');
  assert.match(html, /\[image: p\]/);
  assert.match(html, /&#60;img src=&#34;http:\/\/evil\.example\/i\.png&#34;&#62;/, 'raw HTML shows as its text');
  assert.match(html, /<code class="language-js">const a = &quot;&lt;img src=x&gt;&quot;;/);
  assert.doesNotMatch(html, /id: product-entity/, 'front matter stays out');
});
