/**
 * The layer of a task that names no file, decided once at import (it is written into the spec
 * for approval): the layer the task's wording names (its name or one of its folders), else the
 * layer owning the files the design or plan names beside the task's words (or the entry of its
 * project structure sharing them: designStructure.ts), else the layer
 * whose role the wording points to (a migration → the schema's layer), by its name or folders
 * or else by what the census found it to be (layerRoles.ts). Nothing pointing
 * anywhere gives no layer: the user picks one when approving.
 */
import { layerOwning, type OrchestratorConfig } from '../project/config';
import { namedPaths } from '../project/specs';
import { structureLayer } from './designStructure';
import type { LayerRole } from './layerRoles';

export interface LayerGuess {
  layer: string;
  /** Where the answer came from, shown in the spec: `design.md`, `the task's wording`. */
  from: string;
}

// Words that point to a role, in the languages seen; a layer plays the role its name or folders say.
const ROLES: { role: RegExp; words: RegExp }[] = [
  {
    role: /^(?:db|database|data|schema|migrations?|persistence|prisma|sql)$/i,
    words:
      /\b(?:migrations?|schema|tables?|columns?|index(?:es)?|sql|database|foreign key|seed(?:s|ing)?(?: data)?)\b|数据库|数据表|迁移|テーブル|マイグレーション|データベース/iu,
  },
  {
    role: /^(?:web|frontend|front|ui|client|app|site|pages?)$/i,
    words:
      /\b(?:ui|screens?|pages?|components?|views?|forms?|buttons?|css|styles?|layout|frontend|render(?:s|ing)?)\b|页面|界面|组件|画面|コンポーネント|ボタン/iu,
  },
  {
    role: /^(?:server|backend|back|api|services?|core|domain)$/i,
    words:
      /\b(?:api|endpoints?|services?|handlers?|controllers?|routes?|server|backend|domain|entit(?:y|ies)|value objects?|repositor(?:y|ies)|use cases?)\b|接口|服务|领域|实体|サービス|エンドポイント|ドメイン/iu,
  },
];

const LATIN_WORD = /[a-z][a-z0-9_]{4,}/g;
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]{2,}/gu;
const STOP = new Set([
  'about',
  'after',
  'which',
  'their',
  'there',
  'these',
  'those',
  'where',
  'while',
  'should',
  'would',
  'could',
  'every',
  'other',
  'using',
  'create',
  'update',
  'implement',
  'write',
  'tests',
  'shall',
]);

export function guessLayer(
  text: string,
  design: { file: string; text: string } | undefined,
  config: OrchestratorConfig,
  census: ReadonlyMap<string, LayerRole> = new Map(),
): LayerGuess | undefined {
  const named = namedLayer(text, config);
  if (named) return named;
  const fromDesign =
    design !== undefined ? (designLayer(text, design, config) ?? structureLayer(text, design, config)) : undefined;
  if (fromDesign) return fromDesign;
  return roleLayer(text, config, census);
}

/** The one layer the wording names, by its name or one of its folders. */
export function namedLayer(text: string, config: OrchestratorConfig): LayerGuess | undefined {
  const named = Object.keys(config.layers).filter(
    (layer) => mentions(text, layer) || folders(config, layer).some((folder) => mentions(text, folder)),
  );
  return named.length === 1 ? { layer: named[0]!, from: "the task's wording" } : undefined;
}

/** The one layer whose role (by its name, its folders, else the census) the wording points to. */
export function roleLayer(
  text: string,
  config: OrchestratorConfig,
  census: ReadonlyMap<string, LayerRole> = new Map(),
): LayerGuess | undefined {
  const layers = Object.keys(config.layers);
  const byRole = layers.filter((layer) => {
    const plays = ROLES.find(
      (r) => r.role.test(layer) || folders(config, layer).some((f) => r.role.test(f.split('/').pop() ?? '')),
    );
    return plays !== undefined && plays.words.test(text);
  });
  if (byRole.length === 1) return { layer: byRole[0]!, from: "the task's wording" };
  if (byRole.length > 1) return undefined;
  // Layers named after projects: the role the census found for each (its context file, its frameworks, the schema it owns).
  const byCensus = layers.filter((layer) => {
    const role = census.get(layer);
    return role !== undefined && ROLES.find((r) => r.role.test(role))!.words.test(text);
  });
  return byCensus.length === 1
    ? { layer: byCensus[0]!, from: `the task's wording; the census: ${byCensus[0]} is the ${census.get(byCensus[0]!)}` }
    : undefined;
}

/** The layer owning most of the files named in the design's paragraphs that share the task's words. */
function designLayer(
  text: string,
  design: { file: string; text: string },
  config: OrchestratorConfig,
): LayerGuess | undefined {
  const words = new Set(tokens(text));
  if (words.size === 0) return undefined;
  const votes = new Map<string, number>();
  for (const section of sectionsOf(design.text)) {
    const shared = [...section.tokens].filter((t) => words.has(t)).length;
    if (shared === 0) continue;
    for (const path of section.paths) {
      const layer = layerOwning(config, path);
      if (layer) votes.set(layer, (votes.get(layer) ?? 0) + shared);
    }
  }
  const ranked = [...votes.entries()].sort((a, b) => b[1] - a[1]);
  if (ranked.length === 0 || (ranked.length > 1 && ranked[0]![1] === ranked[1]![1])) return undefined;
  return { layer: ranked[0]![0], from: design.file };
}

// The design's sections, read once per design (every task of a folder asks about the same one).
let lastDesign: { text: string; sections: { tokens: Set<string>; paths: string[] }[] } | undefined;

/** A section (a heading and what follows it) is the unit: a heading's words name what its files are for. */
function sectionsOf(text: string): { tokens: Set<string>; paths: string[] }[] {
  if (lastDesign?.text !== text) {
    const sections = text
      .split(/\n(?=#{1,6}\s)/)
      .map((chunk) => ({ tokens: new Set(tokens(chunk)), paths: namedPaths(chunk) }))
      .filter((s) => s.paths.length > 0);
    lastDesign = { text, sections };
  }
  return lastDesign.sections;
}

/** `server/**` → `server`; `apps/web/src/**` → `apps/web`. */
function folders(config: OrchestratorConfig, layer: string): string[] {
  return (config.layers[layer]?.owns ?? [])
    .map((glob) => glob.split(/\/?\*/)[0]!.replace(/\/$/, ''))
    .filter((f) => f.length > 1 && !/[{[]/.test(f));
}

function mentions(text: string, word: string): boolean {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\p{L}\\p{N}_-])${escaped}($|[^\\p{L}\\p{N}_-])`, 'iu').test(text);
}

/** Words of five letters or more (plurals folded), and pairs of characters of CJK text (it has no spaces). */
function tokens(text: string): string[] {
  const lower = text.toLowerCase();
  const words = [...lower.matchAll(LATIN_WORD)]
    .map((m) => m[0].replace(/(?:ies|es|s)$/, ''))
    .filter((w) => !STOP.has(w) && w.length >= 4);
  const pairs = [...lower.matchAll(CJK_RUN)].flatMap((m) => {
    const chars = [...m[0]];
    return chars.slice(1).map((ch, i) => `${chars[i]}${ch}`);
  });
  return [...words, ...pairs];
}
