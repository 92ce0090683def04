/**
 * Bundle sizes of the production build (what the .vsix ships): dist/extension.js, loaded by
 * the extension host on activation, and dist/webview.js, loaded by the sidebar every time it
 * is shown. Built with the project's own `scripts/build.mjs --production` into a temporary
 * folder; the note names the packages that weigh most (esbuild metafile, same options).
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
    const web = fileSize(build.webview);
    const extParts = await bundleComposition('src/extension/extension.ts', { platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] });
    const webParts = await bundleComposition('webview/main.ts', { platform: 'browser', format: 'iife', target: 'es2022' });
    return [
      {
        name: 'dist/extension.js, production build',
        value: kB(ext.bytes),
        unit: 'kB',
        target: `≤ ${TARGET_KB} kB (1 MB)`,
        pass: kB(ext.bytes) <= TARGET_KB,
        note:
          `${ext.bytes.toLocaleString('en-US')} bytes, ${kB(ext.gzipBytes).toFixed(0)} kB gzipped; \`node scripts/build.mjs --production\` (minified, no source map) into a temporary folder. ` +
          `Largest parts: ${top(extParts, 6)}.`,
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
