// Draws the house from the real import graph: docs/architecture.svg, embedded in
// docs/architecture.md. Each floor of scripts/floors.cjs is a box holding its rooms (a folder of
// src/core, a host, a file of the engine's words); an arrow is one room importing another (down the
// page: the importer stands above), its width the number of imports. Needs Graphviz's `dot` (apt-get install graphviz).
//
//   node scripts/architecture-graph.mjs
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { envWithNode, projectNode, root } from './setup.mjs';

const { FLOORS, BROWSER } = createRequire(import.meta.url)('./floors.cjs');
const node = projectNode();
if (!node) throw new Error("architecture-graph: needs the project's Node (npm run e2e:install)");
const cli = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruiser.mjs');
const cruise = spawnSync(
  node,
  [cli, '--config', join(root, '.dependency-cruiser.cjs'), '--output-type', 'json', 'src', 'webview'],
  { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28, env: envWithNode(node) },
);
if (cruise.status !== 0 && !cruise.stdout) throw new Error(`dependency-cruiser: ${cruise.stderr}`);
const { modules } = JSON.parse(cruise.stdout);

const floors = [...FLOORS.filter(([name]) => name !== 'tools'), ['browser', BROWSER]];
const floorOf = (path) => floors.findIndex(([, paths]) => paths.some((p) => new RegExp(p).test(path)));
/** A room: a folder of src/core (of the pipeline, its own floors), a host, a browser app, or one of the engine's files. */
function roomOf(path) {
  const parts = path.replace(/\.ts$/, '').split('/');
  if (parts[0] === 'webview') return 'webview';
  if (parts[1] === 'portal' && parts[2] === 'client') return 'portal/client';
  if (parts[1] !== 'core') return parts[1];
  if (parts[2] === 'pipeline') return `pipeline/${parts[3]}`;
  return parts[2];
}

const rooms = new Map();
const edges = new Map();
for (const m of modules) {
  if (!/^(src|webview)\//.test(m.source)) continue;
  const from = roomOf(m.source);
  rooms.set(from, floorOf(m.source));
  for (const d of m.dependencies) {
    if (!/^(src|webview)\//.test(d.resolved)) continue;
    const to = roomOf(d.resolved);
    if (to !== from) edges.set(`${from}|${to}`, (edges.get(`${from}|${to}`) ?? 0) + 1);
  }
}

const id = (room) => `"${room}"`;
const lines = [
  'digraph house {',
  '  rankdir=TB; newrank=true; nodesep=0.15; ranksep=0.5;',
  '  node [shape=box, style="rounded,filled", fillcolor=white, fontname="Helvetica", fontsize=11];',
  '  edge [color="#8899aa80", arrowsize=0.5];',
];
floors.forEach(([name], i) => {
  const inside = [...rooms].filter(([, floor]) => floor === i).map(([room]) => id(room));
  if (!inside.length) return;
  lines.push(
    `  subgraph cluster_${i} { label="${i + 1}. ${name}"; labeljust=l; style="filled"; fillcolor="${i % 2 ? '#eef3f8' : '#f7f7f2'}"; fontname="Helvetica"; fontsize=12; { rank=same; ${inside.join('; ')} } }`,
  );
});
for (const [key, count] of [...edges].sort()) {
  const [from, to] = key.split('|');
  lines.push(`  ${id(from)} -> ${id(to)} [penwidth=${Math.min(4, 0.4 + Math.log2(count) / 2).toFixed(2)}];`);
}
lines.push('}');
const svg = spawnSync('dot', ['-Tsvg'], { input: lines.join('\n'), encoding: 'utf8' });
if (svg.status !== 0) throw new Error(`dot: ${svg.error?.message ?? svg.stderr}`);
writeFileSync(join(root, 'docs', 'architecture.svg'), svg.stdout);
console.log(`docs/architecture.svg: ${rooms.size} rooms on ${floors.length} floors, ${edges.size} arrows`);
