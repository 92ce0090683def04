/**
 * Bundle sizes of the production build (what the .vsix ships): dist/extension.js, loaded by
 * the extension host on activation; dist/engine.js, the engine it require()s on first use (a
 * run, a listing, a diff; the CLI shares it); and dist/webview.js, loaded by the sidebar every
 * time it is shown. Built with the project's own `scripts/build.mjs --production` into a
 * temporary folder; the notes name the packages that weigh most (esbuild metafile, same options).
 */
import { bundleComposition, fileSize, kB, productionBuild } from '../support/extensionBuild';
import type { BenchCase } from '../types';

const TARGET_KB = 1000; // 1 MB

const top = (parts: [string, number][], n: number): string =>
  parts
    .slice(0, n)
    .map(([name, bytes]) => `${name} ${kB(bytes).toFixed(0)} kB`)
    .join(', ');

export default {
  title: 'Extension bundle sizes',
  order: 60,
  async run(ctx) {
    const build = await productionBuild(ctx);
    ctx.log(`  production build in ${build.buildMs.toFixed(0)} ms`);
    const ext = fileSize(build.extension);
    const engine = fileSize(build.engine);
    const web = fileSize(build.webview);
    const cli = { bytes: fileSize(build.cli).bytes + fileSize(build.cliMain).bytes };
    const anthropic = fileSize(build.anthropic);
    const xlsx = fileSize(build.xlsx);
    const rooms = Object.entries(build.rooms)
      .map(([room, file]) => `dist/${room}.js ${kB(fileSize(file).bytes).toFixed(0)} kB`)
      .join(', ');
    const extParts = await bundleComposition('dist/extension.js');
    const engineParts = await bundleComposition('dist/engine.js');
    const webParts = await bundleComposition('dist/webview.js');
    // The workbook writer is extension-host code too, though only an export loads it.
    const hostBytes = ext.bytes + engine.bytes + xlsx.bytes;
    const roomBytes = Object.values(build.rooms).reduce((sum, file) => sum + fileSize(file).bytes, 0);
    const shippedBytes = hostBytes + roomBytes + anthropic.bytes + web.bytes + cli.bytes;
    return [
      {
        name: 'dist/extension.js, production build (what activation loads)',
        value: kB(ext.bytes),
        unit: 'kB',
        target: `≤ ${TARGET_KB} kB (1 MB)`,
        pass: kB(ext.bytes) <= TARGET_KB,
        note:
          `${ext.bytes.toLocaleString('en-US')} bytes, ${kB(ext.gzipBytes).toFixed(0)} kB gzipped; \`node scripts/build.mjs --production\` (minified, no source map) into a temporary folder. ` +
          `Parts: ${top(extParts, 4)}. The engine is not in it: dist/engine.js is require()d on first use (next row).`,
      },
      {
        name: 'dist/extension.js + dist/engine.js + dist/xlsx.js, production build (all extension-host code but the lazy SDK bundles)',
        value: kB(hostBytes),
        unit: 'kB',
        target: `≤ ${TARGET_KB} kB (1 MB)`,
        pass: kB(hostBytes) <= TARGET_KB,
        note:
          `dist/xlsx.js (the traceability workbook writer, require()d only by an export) ${kB(xlsx.bytes).toFixed(0)} kB. ` +
          `Not counted, each loaded only by the feature that needs it: the engine's rooms (${rooms}: init and a run without a config, importing a Kiro, Spec Kit or Mustard folder, verify, the CLI agents' runners, a workflow gate's Mermaid check, a JS workspace's packages (the first config load or census of a root with a package.json, pnpm-workspace.yaml or lerna.json); each takes the engine's own modules from dist/engine.js, so nothing is bundled twice), dist/anthropic.js (the Anthropic SDK, when a run first opens a Claude or the demo's model) ${kB(anthropic.bytes).toFixed(0)} kB, dist/pgstore.js (a PostgreSQL queue.url) ${kB(fileSize(build.pgstore).bytes).toFixed(0)} kB, dist/openai.js (an openai: model) ${kB(fileSize(build.openai).bytes).toFixed(0)} kB. ` +
          `dist/engine.js alone ${engine.bytes.toLocaleString('en-US')} bytes (${kB(engine.gzipBytes).toFixed(0)} kB gzipped), loaded by the first run, listing of specs and runs (the sidebar shown) or diff; shared with dist/cli.js. ` +
          `Largest parts: ${top(engineParts, 6)}. ` +
          `All JavaScript the .vsix ships but openai.js and pgstore.js (extension + engine + xlsx + rooms + anthropic + webview ${kB(web.bytes).toFixed(0)} kB + cli ${kB(cli.bytes).toFixed(0)} kB): ${kB(shippedBytes).toFixed(0)} kB.`,
      },
      {
        name: 'dist/webview.js, production build',
        value: kB(web.bytes),
        unit: 'kB',
        target: `≤ ${TARGET_KB} kB (the extension's budget)`,
        pass: kB(web.bytes) <= TARGET_KB,
        note:
          `${web.bytes.toLocaleString('en-US')} bytes, ${kB(web.gzipBytes).toFixed(0)} kB gzipped; loaded by the sidebar webview each time it is shown. ` +
          `Largest parts: ${top(webParts, 5)}.`,
      },
    ];
  },
} satisfies BenchCase;
