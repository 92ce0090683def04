/**
 * A client generated from a server's OpenAPI document in the same repository: an `openapi-ts`,
 * `orval`, `kubb` or `openapi-generator` config (or a package script running one) that reads
 * the backend's `openapi.json` by path. The layer holding that path is the one the client's
 * layer runs after. A URL (`http://localhost:8000/openapi.json`) is a call like any other:
 * layerOrder.ts matches its port.
 */
import { posix } from 'node:path';

/** Generator configs: `openapi-ts.config.ts`, `orval.config.js`, `kubb.config.ts`, `openapitools.json`. */
export const GENERATOR_CONFIG =
  /(^|\/)((openapi-ts|orval|kubb|openapi-typescript|openapi)\.config\.[cm]?[jt]s|openapitools\.json)$/;
/** Programs that generate a client from an OpenAPI document, as a package script names them. */
const GENERATOR_PROGRAM =
  /\b(openapi-ts|openapi-typescript|orval|kubb|openapi-generator-cli|openapi-generator|openapi-codegen|swagger-typescript-api|openapi-zod-client|openapi-typescript-codegen|openapi2typescript|swagger-codegen)\b/;
/** What openapi-generator leaves beside the client it wrote. */
const GENERATOR_OUTPUT = /(^|\/)\.openapi-generator(-ignore|\/)/;
/** Where a generator script runs the server that prints the document: `uv run --directory ../server -m …`, `cd ../api && …`. */
const MOVES_TO = /(?:--directory|--project|--cwd|--prefix|-C|\bcd)[= ]+([^\s;&|]+)/g;
/** A document path as a string value or a command argument: `../backend/openapi.json`, `api/spec.yaml`. */
const SPEC_PATH = /(?:^|[\s"'`=])((?:\.{1,2}\/|[\w@.-]+\/)[^\s"'`]*?\.(?:json|ya?ml))(?=$|[\s"'`,])/g;

export interface GeneratedFrom {
  /** Workspace-relative path the client is generated from (it may not exist until the server writes it). */
  path: string;
  /** The path is the folder whose code prints the document, not the document. */
  folder?: true;
  /** The config or manifest that says so. */
  file: string;
}

/** The OpenAPI documents a generator config names, resolved from its folder. */
export function generatorSources(file: string, text: string): GeneratedFrom[] {
  return specPaths(text, posix.dirname(file)).map((path) => ({ path, file }));
}

/** The OpenAPI documents a project's scripts generate clients from (`openapi-ts -i ../api/openapi.json`). */
export function scriptSources(dir: string, manifest: string, scripts: Record<string, string>): GeneratedFrom[] {
  return Object.values(scripts)
    .filter((script) => GENERATOR_PROGRAM.test(script))
    .flatMap((script) => [
      ...specPaths(script, dir).map((path) => ({ path, file: manifest })),
      ...[...script.matchAll(MOVES_TO)]
        .map((m) => posix.normalize(posix.join(dir, m[1]!)).replace(/\/$/, ''))
        .filter((path) => !path.startsWith('..') && path !== '.')
        .map((path) => ({ path, file: manifest, folder: true as const })),
    ]);
}

/**
 * A layer generating an OpenAPI client without saying from which document: a package script runs a generator
 * whose config (code) names it, or openapi-generator's output sits in its files. The file that says so, if any.
 */
export function generatesClient(
  files: readonly string[],
  scripts: readonly { manifest: string; scripts: Record<string, string> }[],
): string | undefined {
  return (
    scripts.find((p) => Object.values(p.scripts).some((s) => GENERATOR_PROGRAM.test(s)))?.manifest ??
    files.find((f) => GENERATOR_CONFIG.test(f) || GENERATOR_OUTPUT.test(f))
  );
}

function specPaths(text: string, dir: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(SPEC_PATH)) {
    const value = match[1]!;
    if (
      /^[a-z]+:\/\//i.test(value) ||
      value.includes('node_modules/') ||
      /(^|\/)(package|tsconfig|openapitools)\.json$/.test(value)
    )
      continue;
    const path = posix.normalize(posix.join(dir === '.' ? '' : dir, value));
    if (!path.startsWith('..')) found.add(path);
  }
  return [...found];
}

/**
 * The layer holding a document path: the layer owning the file, else the one with the most files in the nearest
 * folder above it that any layer has files in (a server writes `openapi.json` next to its code); none when the
 * client's own layer has files there first.
 */
export function layerHolding(
  path: string,
  layers: readonly { name: string; files: readonly string[] }[],
  except: string,
  folder = false,
): string | undefined {
  const others = layers.filter((l) => l.name !== except);
  const owner = others.find((l) => l.files.includes(path));
  if (owner) return owner.name;
  const own = layers.find((l) => l.name === except)?.files ?? [];
  for (let dir = folder ? path : posix.dirname(path); dir !== '.' && dir !== ''; dir = posix.dirname(dir)) {
    // A document kept in the client's own folders is its copy, not a server's.
    if (own.some((f) => f.startsWith(`${dir}/`))) return undefined;
    const counts = others
      .map((l) => ({ name: l.name, count: l.files.filter((f) => f.startsWith(`${dir}/`)).length }))
      .filter((c) => c.count > 0);
    if (counts.length > 0) return counts.sort((a, b) => b.count - a.count)[0]!.name;
  }
  return undefined;
}
