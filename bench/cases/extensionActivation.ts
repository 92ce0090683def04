/**
 * Extension activation in the real extension host (code-server 4.139 = VS Code 1.139, Node 24):
 * require() of the production dist/extension.js (code loading) + activate(context), the two
 * figures VS Code itself reports as an extension's activation time. Each of HOSTS page loads
 * is a fresh extension host whose first sample is a cold activation (what a window pays once);
 * the host's further samples load fresh copies of the bundle in the warmed-up process.
 * The workspace is a git copy of examples/shop. Activation must not load the engine
 * (dist/engine.js, require()d on first use): each sample checks, and the row fails if it did;
 * the note gives what the first engine use then pays, once per window.
 */
import { makeShop } from '../support/shop';
import { measureActivation } from '../support/extensionActivation';
import { productionBuild } from '../support/extensionBuild';
import { median, spread } from '../support/stats';
import type { BenchCase } from '../types';

const HOSTS = 5;
const PER_HOST = 4;
const TARGET_MS = 50;

export default {
  title: 'Extension activation in the extension host',
  order: 61,
  async run(ctx) {
    const build = await productionBuild(ctx);
    const shop = makeShop();
    ctx.onCleanup(() => shop.cleanup());
    const hosts = await measureActivation(build.extension, build.engine, shop.dir, HOSTS, PER_HOST, ctx.log);
    const total = (s: { loadMs: number; activateMs: number }) => s.loadMs + s.activateMs;
    const cold = hosts.map((h) => h.samples[0]!);
    const warm = hosts.flatMap((h) => h.samples.slice(1));
    const value = median(cold.map(total));
    const engineLoaded = hosts.flatMap((h) => h.samples).filter((s) => s.engineLoaded).length;
    return [
      {
        name: `Extension activation, cold (median of ${HOSTS} extension hosts)`,
        value,
        unit: 'ms',
        target: `≤ ${TARGET_MS} ms`,
        pass: value <= TARGET_MS && engineLoaded === 0,
        note:
          `require(dist/extension.js) + activate(context) inside code-server's extension host (${hosts[0]?.node ?? '?'}), production build, first activation in each fresh host: ` +
          `${cold.map((s) => total(s).toFixed(1)).join(', ')} ms (code loading median ${median(cold.map((s) => s.loadMs)).toFixed(1)} ms, activate() median ${median(cold.map((s) => s.activateMs)).toFixed(1)} ms). ` +
          `Repeated in the same hosts with fresh copies of the bundle: ${spread(warm.map(total))} (code loading ${median(warm.map((s) => s.loadMs)).toFixed(1)} ms, activate() ${median(warm.map((s) => s.activateMs)).toFixed(1)} ms). ` +
          `dist/engine.js loaded by activation (within 700 ms after it): ${engineLoaded} of ${hosts.length * PER_HOST} samples. ` +
          `Deferred to the first engine use (a run, the sidebar's lists, a diff): the host's first require(dist/engine.js) ${hosts.map((h) => h.engineLoadMs.toFixed(0)).join(', ')} ms (median ${median(hosts.map((h) => h.engineLoadMs)).toFixed(1)} ms). ` +
          'Workspace: a git copy of examples/shop.',
      },
    ];
  },
} satisfies BenchCase;
