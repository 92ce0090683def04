/**
 * What each layer is, from what `orchestrator init`'s census wrote about it, so a task that
 * names no file can be placed even when layers are named after projects (`rt`, `dashboard`)
 * rather than roles: the role the context file states ("the frontend of this repository"), the
 * frameworks it lists (react → frontend, axum → backend, prisma → database), and the layer
 * owning the config's `schema` globs (database). A layer the census said nothing about has no
 * role here; its name and folders still count (layerGuess.ts).
 */
import { join } from 'node:path';
import { contextPathFor } from '../project/context';
import { layerOwning, type OrchestratorConfig } from '../project/config';
import { readOptionalText } from '../project/sources';

export type LayerRole = 'database' | 'backend' | 'frontend';

const FRAMEWORK_ROLES: { role: LayerRole; frameworks: RegExp }[] = [
  {
    role: 'frontend',
    frameworks: /\b(?:react|vue|svelte|sveltekit|angular|next|nuxt|astro|remix|solid|blazor|leptos|yew)\b/i,
  },
  {
    role: 'backend',
    frameworks:
      /\b(?:express|nestjs|fastify|koa|hono|trpc|django|fastapi|flask|spring-boot|laravel|symfony|rails|axum|actix-web|rocket|gin|echo|fiber|chi|aspnetcore)\b/i,
  },
  {
    role: 'database',
    frameworks: /\b(?:prisma|drizzle|typeorm|sequelize|knex|mongoose|alembic|sqlalchemy|diesel|sqlx|efcore)\b/i,
  },
];

const STATED_ROLE = /\(the (database|backend|frontend) of this repository\)/i;
const FRAMEWORKS_LINE = /^- Frameworks and tools: (.*)$/m;

/** Each layer's role where the census tells one (unique: a layer listing both react and express tells none). */
export async function layerRoles(workspace: string, config: OrchestratorConfig): Promise<Map<string, LayerRole>> {
  const roles = new Map<string, LayerRole>();
  const schemaOwners = schemaLayers(config);
  await Promise.all(
    Object.keys(config.layers).map(async (layer) => {
      const text = await readOptionalText(join(workspace, contextPathFor(config, layer))).catch(() => undefined);
      const stated = text ? (STATED_ROLE.exec(text)?.[1]?.toLowerCase() as LayerRole | undefined) : undefined;
      const frameworks = text ? (FRAMEWORKS_LINE.exec(text)?.[1] ?? '') : '';
      const byFrameworks = FRAMEWORK_ROLES.filter((r) => r.frameworks.test(frameworks)).map((r) => r.role);
      const role =
        stated ??
        (byFrameworks.length === 1 ? byFrameworks[0] : undefined) ??
        (schemaOwners.size === 1 && schemaOwners.has(layer) ? 'database' : undefined);
      if (role) roles.set(layer, role);
    }),
  );
  return roles;
}

/** The layers owning a file under each `schema` glob (`db/**` → a file `db/x/x.sql`). */
function schemaLayers(config: OrchestratorConfig): Set<string> {
  const owners = new Set<string>();
  for (const glob of config.schema) {
    const sample = glob
      .replace(/\*\*\/?/g, 'x/')
      .replace(/\*/g, 'x')
      .replace(/\/$/, '/x.sql');
    const owner = layerOwning(config, sample);
    if (owner) owners.add(owner);
  }
  return owners;
}
