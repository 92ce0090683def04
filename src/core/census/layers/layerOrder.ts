/**
 * `after:` only from a dependency the repository shows: a workspace dependency between its
 * projects (a package.json dependency on a sibling package, a Cargo or Python dependency on a
 * member, a .NET `ProjectReference`, a Gradle `project(":x")`), or an HTTP client of a server
 * in the repository (a local base URL or proxy target whose port a server layer listens on), or a
 * client generated from a server's OpenAPI document in the repository (generatedClients.ts).
 * A word in a folder name orders nothing. Edges both ways cancel; a cycle loses its last edge.
 */
import { join, posix } from 'node:path';
import { fileHead } from '../files/fileHead';
import { roleOfFrameworks } from '../manifests/frameworks';
import {
  GENERATOR_CONFIG,
  generatesClient,
  generatorSources,
  layerHolding,
  scriptSources,
} from '../manifests/generatedClients';
import type { Project, Role } from '../types';

export interface OrderedLayer {
  name: string;
  role?: Role;
  projects: readonly Project[];
  /** The layer's own files (workspace-relative). */
  files: readonly string[];
}

export type LayerOrder = Map<string, Map<string, string>>;

const HEAD_BYTES = 16 * 1024;
const FILES_PER_LAYER = 60;
/** Files where a base URL, a proxy target or a listening port is written. */
const ADDRESS_FILE =
  /(^|\/)(main|app|server|index|program|application|settings|config|constants|env|api|client|http|axios|fetch|request|proxy|setupProxy|vite\.config|next\.config|nuxt\.config|angular|proxy\.conf|launchSettings|locustfile|k6|load|script|gatling)[\w.-]*\.(ts|tsx|js|jsx|mjs|cjs|py|go|rs|cs|java|kt|rb|php|dart|json|ya?ml|properties|toml)$/i;
/** Ports a dev server of these frameworks listens on when nothing says otherwise. */
const DEFAULT_PORTS: Record<string, number> = {
  vite: 5173,
  next: 3000,
  nuxt: 3000,
  angular: 4200,
  remix: 3000,
  astro: 4321,
  sveltekit: 5173,
  django: 8000,
  fastapi: 8000,
  flask: 5000,
  rails: 3000,
  laravel: 8000,
  'spring-boot': 8080,
  phoenix: 4000,
};

export async function orderLayers(workspace: string, layers: readonly OrderedLayer[]): Promise<LayerOrder> {
  const order: LayerOrder = new Map(layers.map((l) => [l.name, new Map<string, string>()]));
  const add = (from: string, to: string, why: string) => {
    if (from !== to && !order.get(from)!.has(to)) order.get(from)!.set(to, why);
  };
  // Workspace dependencies.
  const byName = new Map<string, string>();
  for (const layer of layers) {
    for (const project of layer.projects) {
      byName.set(normal(project.name), layer.name);
      if (project.ecosystem === 'gradle' && project.dir !== '')
        byName.set(`:${project.dir.split('/').join(':')}`, layer.name);
    }
  }
  for (const layer of layers) {
    for (const project of layer.projects) {
      for (const dependency of project.dependencies ?? []) {
        const owner = byName.get(normal(dependency));
        if (owner && !(project.name === dependency && owner === layer.name))
          add(layer.name, owner, `${project.name} depends on ${dependency} (workspace dependency)`);
      }
    }
  }
  // HTTP clients of the repository's servers.
  const scanned = await Promise.all(
    layers.map(async (layer) => {
      const small = layer.files.length <= 30;
      const generators = layer.files.filter((f) => GENERATOR_CONFIG.test(f));
      const candidates = layer.files
        .filter(
          (f) =>
            !/(^|\/)\.env/.test(f) &&
            !/(^|\/)(tests?|__tests__|spec)\//.test(f) &&
            !GENERATOR_CONFIG.test(f) &&
            (small || ADDRESS_FILE.test(f)),
        )
        .slice(0, FILES_PER_LAYER);
      const texts = await Promise.all(
        [...generators, ...candidates].map(async (file) => ({
          file,
          text: await fileHead(join(workspace, file), HEAD_BYTES),
        })),
      );
      const generated = [
        ...texts
          .filter(({ file }) => GENERATOR_CONFIG.test(file))
          .flatMap(({ file, text }) => generatorSources(file, text)),
        ...layer.projects.flatMap((p) => scriptSources(p.dir, p.manifest, p.scripts)),
      ];
      return {
        layer,
        generated,
        ports: texts.flatMap(({ file, text }) => listenPorts(text, file)),
        calls: texts.flatMap(({ file, text }) => clientUrls(text).map((call) => ({ ...call, file }))),
      };
    }),
  );
  // Explicit listening ports first (in layer order), then the frameworks' defaults.
  const served = new Map<number, string>();
  for (const { layer, ports } of scanned) for (const port of ports) if (!served.has(port)) served.set(port, layer.name);
  for (const { layer } of scanned) {
    for (const project of layer.projects)
      for (const framework of project.frameworks)
        if (DEFAULT_PORTS[framework] !== undefined && !served.has(DEFAULT_PORTS[framework]!))
          served.set(DEFAULT_PORTS[framework]!, layer.name);
  }
  const calls = scanned.flatMap(({ layer, calls }) => calls.map((call) => ({ ...call, layer: layer.name })));
  // A port a layer serves itself is its own listening address, not a call.
  for (const call of calls) {
    const server = served.get(call.port);
    if (server && server !== call.layer)
      add(call.layer, server, `${posix.basename(call.file)} calls ${call.url} (${server} listens on ${call.port})`);
  }
  // Clients generated from a server's OpenAPI document.
  for (const { layer, generated } of scanned) {
    for (const { path, file, folder } of generated) {
      const server = layerHolding(path, layers, layer.name, folder);
      if (server)
        add(
          layer.name,
          server,
          folder
            ? `${posix.basename(file)} generates a client from what ${path}/ prints (${server})`
            : `${posix.basename(file)} generates a client from ${path} (${server})`,
        );
    }
  }
  // A client generated from a document nothing here names (the generator's config is code): the repository's one API server.
  const servers = layers.filter(
    (l) =>
      l.role === 'backend' ||
      l.projects.some((p) => p.role === 'backend' || roleOfFrameworks(p.frameworks) === 'backend'),
  );
  for (const { layer, generated } of scanned) {
    if (servers.includes(layer) || generated.length > 0) continue;
    const said = generatesClient(layer.files, layer.projects);
    const others = servers.filter((s) => s.name !== layer.name);
    if (said && others.length === 1)
      add(
        layer.name,
        others[0]!.name,
        `${posix.basename(said)} generates an OpenAPI client; ${others[0]!.name} is the repository's one API server`,
      );
  }
  // Edges both ways show nothing about order; then break any cycle left.
  for (const [from, targets] of order)
    for (const to of [...targets.keys()]) if (order.get(to)?.has(from)) targets.delete(to);
  breakCycles(order);
  return order;
}

function normal(name: string): string {
  return name.toLowerCase().replace(/_/g, '-');
}

/** Ports a server listens on: `listen(8080)`, `PORT || 3000`, `":8080"` (Go), `server.port=8081`, `--port 8000`, `port: 5173`. */
export function listenPorts(text: string, file: string): number[] {
  const ports = new Set<number>();
  const patterns = [
    /\.listen\(\s*(\d{2,5})/g,
    /\bPORT\b\s*(?:\|\||\?\?|:-|,|=|\bor\b)\s*["']?(\d{2,5})/g,
    /(?:ListenAndServe|Run|Listen|Addr\s*:)\(?\s*["'](?:[\w.]*):(\d{2,5})["']/g,
    /server\.port\s*[=:]\s*(\d{2,5})/g,
    /--port[= ](\d{2,5})/g,
    /\bport\s*[:=]\s*(\d{2,5})\b/gi,
    /"applicationUrl"\s*:\s*"https?:\/\/localhost:(\d{2,5})/g,
  ];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) ports.add(Number(match[1]));
  // A client's config names its target's port too (`proxy: { target: … port … }`): those are calls, not servers.
  if (/locust|k6|load|gatling/i.test(file)) return [];
  return [...ports].filter((p) => p >= 80 && p <= 65535);
}

/** Local base URLs a client calls (`http://localhost:8080/api`), outside lines that only allow an origin (CORS). */
export function clientUrls(text: string): { port: number; url: string }[] {
  const found: { port: number; url: string }[] = [];
  for (const line of text.split('\n')) {
    if (/origin|cors|allow|redirect_uri|callback/i.test(line)) continue;
    for (const match of line.matchAll(
      // The URL ends at a quote, a space or the prose around it (a closing bracket, a comma).
      /\b(?:https?|wss?):\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0)(?::(\d{2,5}))?[^\s"'`)\]>,]*/g,
    )) {
      const port = match[1] ? Number(match[1]) : 80;
      if (!found.some((f) => f.port === port)) found.push({ port, url: match[0] });
    }
  }
  return found;
}

function breakCycles(order: LayerOrder): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string) => {
    state.set(name, 'visiting');
    for (const to of [...(order.get(name)?.keys() ?? [])]) {
      if (state.get(to) === 'visiting') order.get(name)!.delete(to);
      else if (!state.has(to)) visit(to);
    }
    state.set(name, 'done');
  };
  for (const name of [...order.keys()].sort()) if (!state.has(name)) visit(name);
}
