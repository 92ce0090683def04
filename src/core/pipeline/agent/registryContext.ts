/**
 * The seed's ENTITY REGISTRY block for an agent, from whatever shape the project's registry
 * has: the entity's pattern and the module to imitate (3.1's reference entity, 2.1's path
 * templates filled in, 4.0's language conventions), refs, sub-items (or its parent), enums,
 * and what else its entry says. For a new entity, where its code goes by the registry's rules.
 */
import {
  describeEntity,
  type EntityInfo,
  type EntityRegistry,
  enumValues,
  findEntity,
  newEntityGuide,
  referenceModule,
} from '../../project/registry';

export interface EntityFocus {
  name: string | null;
  /** For a new entity, the pattern the spec chose. */
  pattern?: string | null;
}

/** Names listed at most; a registry can hold tens of thousands. */
const LISTED_ENTITIES = 300;

export function registryText(registry: EntityRegistry, focus: EntityFocus): string {
  const known = focus.name ? describeEntity(registry, focus.name) : undefined;
  const lines: string[] = [];
  if (focus.name)
    lines.push(
      `Entity: ${known?.name ?? focus.name}${known ? (known.project ? ` (subproject ${known.project}, ${known.registryFile})` : '') : ' (new)'}`,
    );
  const pattern = known?.pattern ?? focus.pattern ?? undefined;
  if (pattern) {
    const reference = known?.referenceModule ?? referenceModule(registry, pattern);
    lines.push(
      `Pattern: ${pattern}${reference ? ` — reference module: ${reference}${referenceFile(registry, reference)}` : ''}`,
    );
  } else if (Object.keys(registry.patterns).length > 0) {
    lines.push(
      `Patterns (kind → reference module): ${Object.entries(registry.patterns)
        .map(([k, v]) => `${k} → ${v}`)
        .join('; ')}`,
    );
  }
  if (known) lines.push(...entityLines(known));
  else if (focus.name) lines.push(...newEntityLines(registry, focus.name));
  const names = [...registry.entities.keys()];
  if (names.length > 0) {
    const more = names.length > LISTED_ENTITIES ? ` … and ${names.length - LISTED_ENTITIES} more` : '';
    lines.push(`Entities in the registry: ${names.slice(0, LISTED_ENTITIES).join(', ')}${more}`);
  }
  return lines.join('\n');
}

/** ` (src/models/country.ts)` when the reference is an entity whose file the registry knows. */
function referenceFile(registry: EntityRegistry, reference: string): string {
  const entry = findEntity(registry, reference)?.value;
  const file = typeof entry === 'object' && entry !== null && 'file' in entry ? entry.file : undefined;
  return typeof file === 'string' && file !== reference ? ` (${file})` : '';
}

function entityLines(known: EntityInfo): string[] {
  const lines: string[] = [];
  if (known.file) lines.push(`File: ${known.file}`);
  lines.push(`Refs: ${known.refs.join(', ') || 'none'}`, `Subs: ${known.subs.join(', ') || 'none'}`);
  if (known.parent) lines.push(`Parent (this is a sub-item of): ${known.parent}`);
  for (const [name, raw] of Object.entries(known.enums)) lines.push(`Enum ${name}: ${enumText(raw)}`);
  if (known.details.length > 0) lines.push('Registry entry:', ...known.details.map((d) => `  ${d}`));
  if (known.paths.length > 0)
    lines.push("Paths (the registry's templates for this entity):", ...known.paths.map((p) => `  ${p}`));
  if (known.conventions.length > 0)
    lines.push("Conventions (from the registry's patterns):", ...known.conventions.map((c) => `  ${c}`));
  return lines;
}

function newEntityLines(registry: EntityRegistry, name: string): string[] {
  const guide = newEntityGuide(registry, name);
  return [
    ...(guide.paths.length > 0
      ? ["Paths for it (the registry's templates):", ...guide.paths.map((p) => `  ${p}`)]
      : []),
    ...(guide.integration.length > 0
      ? ['Files to update when adding an entity:', ...guide.integration.map((p) => `  ${p}`)]
      : []),
    ...(guide.conventions.length > 0
      ? ["Conventions (from the registry's patterns):", ...guide.conventions.map((c) => `  ${c}`)]
      : []),
  ];
}

function enumText(raw: unknown): string {
  if (raw === undefined) return '(its values are not in the registry)';
  const values = enumValues(raw);
  const file =
    typeof raw === 'object' && raw !== null && 'file' in raw && typeof raw.file === 'string' ? ` (${raw.file})` : '';
  return `${JSON.stringify(values ?? raw)}${file}`;
}
