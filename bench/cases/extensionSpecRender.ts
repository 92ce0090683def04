/**
 * Time to first render of a 1,000-line spec in the sidebar, through the real UI: code-server +
 * headless Chromium, the repo's extension, the spec's row clicked in the sidebar (selectSpec)
 * and timed inside the webview from the click to the frame after spec-body holds the whole spec.
 * See bench/support/extensionSpecRender.ts for what is timed where.
 */
import { measureSpecRender } from '../support/extensionSpecRender';
import { median } from '../support/stats';
import type { BenchCase } from '../types';

const RUNS = 7;
const TARGET_MS = 200;

export default {
  title: 'Sidebar: 1,000-line spec first render',
  order: 62,
  async run(ctx) {
    const { samples, specLines } = await measureSpecRender(RUNS, ctx.log);
    const total = median(samples.map((s) => s.totalMs));
    const list = (pick: (s: (typeof samples)[number]) => number) => samples.map((s) => pick(s).toFixed(0)).join(', ');
    return [
      {
        name: `Sidebar: ${specLines}-line spec, click → rendered (median of ${RUNS})`,
        value: total,
        unit: 'ms',
        target: `≤ ${TARGET_MS} ms`,
        pass: total <= TARGET_MS,
        note:
          `Real UI: code-server + headless Chromium, the spec's row clicked in the Orchestrator sidebar (selectSpec), timed in the webview from the click to two animation frames after spec-body shows the spec's last line: ${list((s) => s.totalMs)} ms (first = first render of that spec in the view). ` +
          `Split (medians): host ${median(samples.map((s) => s.hostMs)).toFixed(0)} ms (selectSpec → read spec.md → view state → 50 ms post coalescing → postMessage), ` +
          `webview ${median(samples.map((s) => s.renderMs)).toFixed(0)} ms (the app reads the state message: zod parse, markdown, DOMPurify, DOM), next frame ${median(samples.map((s) => s.paintMs)).toFixed(0)} ms. ` +
          'A small spec is shown between runs, so every run renders the big one anew. Target chosen here (none was given): 200 ms.',
      },
    ];
  },
} satisfies BenchCase;
