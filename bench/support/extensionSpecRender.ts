/**
 * A 1,000-line spec shown in the real sidebar: code-server + Chromium with the repo's
 * extension, a git copy of examples/shop holding the big spec and a small one (saved specs,
 * written with the engine's createSpec), the sidebar opened, then the big spec's row clicked
 * repeatedly (the small one in between) and each time timed inside the webview itself:
 *   click (capturing listener) → the host's state message read by the app's message listener
 *   (MessageEvent.prototype.data's getter, wrapped) → spec-body in the DOM with the spec's last line (MutationObserver) →
 *   next frame (two requestAnimationFrames: the first paint that can show it).
 * Everything between the click and the message is the host's part: selectSpec → read the
 * file → new view state → 50 ms post coalescing → postMessage across the two iframes.
 */
import type { Frame, Page } from 'playwright-core';
import { createSpec } from '../../src/core/project/specs/specs';
import { openWorkbench, runCommand, sidebarFrame } from '../../test/e2e/harness';
import { EXTENSION_ID } from '../../test/support/extensionId';
import { makeShop } from './shop';

export interface RenderSample {
  /** click → the state message with the spec arrives in the webview. */
  hostMs: number;
  /** message → spec-body (with its last line) in the DOM: markdown parse, sanitize, DOM. */
  renderMs: number;
  /** DOM → two animation frames later (painted). */
  paintMs: number;
  /** click → painted. */
  totalMs: number;
}

export const LAST_LINE_MARKER = 'END-OF-SPEC-1000';

/** A spec body of exactly `lines` lines with what specs contain: headings, prose, task lists, tables, code. */
export function bigSpecMarkdown(lines = 1000): string {
  const out: string[] = [
    '## Spec: Inventory module (1,000 lines)',
    '',
    '### Summary',
    'A large spec to time the sidebar with.',
    '',
  ];
  for (let section = 1; out.length < lines - 1; section++) {
    out.push(`### Part ${section}: entity Item${section}`, '');
    out.push(
      `Item${section} keeps **stock levels** per warehouse, with \`reserve()\` and \`release()\`, and an audit trail; see [the registry](.claude/entity-registry.json).`,
      '',
    );
    out.push('#### Files to Create/Modify', '');
    for (const layer of ['db/migrations', 'server/entities', 'web/src'])
      out.push(`- [ ] ${layer}/item${section}.js: the ${layer.split('/')[0]} part of Item${section}`);
    out.push('', '| field | type | rule |', '|---|---|---|');
    for (const [f, t] of [
      ['id', 'INTEGER'],
      ['sku', 'VARCHAR(40)'],
      ['qty', 'INTEGER'],
      ['warehouse_id', 'INTEGER'],
    ])
      out.push(`| ${f} | ${t} | required |`);
    out.push(
      '',
      '```js',
      `function reserve${section}(item, qty) {`,
      '  if (qty > item.qty) throw new ValidationError(["not enough stock"]);',
      '  return { ...item, qty: item.qty - qty };',
      '}',
      '```',
      '',
    );
    out.push('#### Tasks', '');
    for (let t = 1; t <= 4; t++)
      out.push(`${t}. [ ] Task ${section}.${t}: implement and validate step ${t} of Item${section}`);
    out.push('');
  }
  const body = out.slice(0, lines - 1);
  body.push(`${LAST_LINE_MARKER}: the last line.`);
  return `${body.join('\n')}\n`;
}

/** The inner frame (iframe#active-frame) of our sidebar webview, to evaluate scripts in. */
async function sidebarContentFrame(page: Page): Promise<Frame> {
  const outer = await page
    .locator(`iframe.webview.ready[src*="purpose=webviewView"][src*="extensionId=${EXTENSION_ID}"]`)
    .elementHandle();
  const outerFrame = await outer?.contentFrame();
  const inner = await (await outerFrame?.locator('iframe#active-frame').elementHandle())?.contentFrame();
  if (!inner) throw new Error('the sidebar webview has no content frame');
  return inner;
}

// Strings, not functions: tsx's keepNames would put a `__name` helper into the page.
const INSTRUMENT = `(() => {
  const b = (window.__bench = { want: null, click: 0, message: 0, rendered: 0, painted: 0 });
  document.addEventListener('click', (e) => {
    if (e.target.closest && e.target.closest('[data-testid="spec-item"]')) b.click = performance.now();
  }, true);
  // The app's message listener runs before any added now, so time the first read of event.data
  // (the first thing it does) through MessageEvent's own accessor.
  const data = Object.getOwnPropertyDescriptor(MessageEvent.prototype, 'data');
  Object.defineProperty(MessageEvent.prototype, 'data', {
    configurable: true,
    get() {
      const value = data.get.call(this);
      if (b.click && !b.rendered && !b.message && value && value.type === 'state') b.message = performance.now();
      return value;
    },
  });
  new MutationObserver(() => {
    if (b.rendered || !b.want) return;
    const detail = document.querySelector('[data-testid="spec-detail"]');
    const body = document.getElementById('spec-body');
    if (detail && detail.getAttribute('data-spec-id') === b.want && body && body.textContent.includes(b.marker)) {
      b.rendered = performance.now();
      requestAnimationFrame(() => requestAnimationFrame(() => { b.painted = performance.now(); }));
    }
  }).observe(document.getElementById('app'), { childList: true, subtree: true, characterData: true });
})()`;

export interface SpecRenderResult {
  samples: RenderSample[];
  specLines: number;
  readyMs: number;
}

export async function measureSpecRender(runs: number, log: (m: string) => void): Promise<SpecRenderResult> {
  const shop = makeShop();
  const markdown = bigSpecMarkdown(1000);
  const specLines = markdown.trimEnd().split('\n').length;
  const big = await createSpec(shop.dir, {
    title: 'Inventory module (1,000 lines)',
    slug: 'inventory-big',
    kind: 'feature',
    status: 'saved',
    layers: ['backend'],
    markdown,
  });
  const small = await createSpec(shop.dir, {
    title: 'Small spec',
    slug: 'small',
    kind: 'feature',
    status: 'saved',
    layers: ['backend'],
    markdown: '## Spec: Small\n\nA small spec.\n',
  });
  const wb = await openWorkbench({ workspace: shop.dir, trust: true, viewport: { width: 1440, height: 960 } }).catch(
    (e: unknown) => {
      shop.cleanup();
      throw e;
    },
  );
  try {
    const { page } = wb;
    const sidebar = sidebarFrame(page);
    await runCommand(page, 'Orchestrator: Focus on Specs & Runs View');
    await sidebar.locator('[data-testid="spec-item"]').nth(1).waitFor({ timeout: 30_000 });
    const frame = await sidebarContentFrame(page);
    await frame.evaluate(INSTRUMENT);
    const select = async (id: string, marker: string): Promise<RenderSample> => {
      await frame.evaluate(
        `Object.assign(window.__bench, { want: ${JSON.stringify(id)}, marker: ${JSON.stringify(marker)}, click: 0, message: 0, rendered: 0, painted: 0 })`,
      );
      await sidebar.locator(`[data-testid="spec-item"][data-spec-id="${id}"]`).click();
      // Polled with evaluate: waitForFunction compiles a string with eval, which the webview's CSP forbids.
      for (const end = Date.now() + 15_000; !(await frame.evaluate('window.__bench.painted > 0'));) {
        if (Date.now() > end) throw new Error(`spec ${id} was not rendered within 15 s`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const b = (await frame.evaluate('({ ...window.__bench })')) as {
        click: number;
        message: number;
        rendered: number;
        painted: number;
      };
      return {
        hostMs: b.message - b.click,
        renderMs: b.rendered - b.message,
        paintMs: b.painted - b.rendered,
        totalMs: b.painted - b.click,
      };
    };
    const samples: RenderSample[] = [];
    for (let i = 0; i < runs; i++) {
      await select(small.id, 'A small spec.');
      const sample = await select(big.id, LAST_LINE_MARKER);
      samples.push(sample);
      log(
        `  run ${i + 1}: click → painted ${sample.totalMs.toFixed(0)} ms (host ${sample.hostMs.toFixed(0)}, render ${sample.renderMs.toFixed(0)}, paint ${sample.paintMs.toFixed(0)})`,
      );
    }
    const lines = (await sidebar.getByTestId('spec-body').innerText()).includes(LAST_LINE_MARKER);
    if (!lines) throw new Error('the spec body does not show the spec to its last line');
    return { samples, specLines, readyMs: wb.readyMs };
  } finally {
    await wb.close();
    shop.cleanup();
  }
}
