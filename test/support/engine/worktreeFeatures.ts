// Independent backend-only features on the shop (one new entity module each), for runs in
// worktrees going at once: the spec and backend agents answer by the entity their task names.
import { say, type AgentScript } from './agentScript';
import { PRODUCT_API_SPEC, PRODUCT_MODULE } from './fixtures';

/** `Address` → the spec and module of "Add an Address entity", made from the Product ones. */
export function entitySpec(entity: string): string {
  return rename(PRODUCT_API_SPEC, entity);
}

export function entityModule(entity: string): string {
  return rename(PRODUCT_MODULE, entity);
}

export const entityFile = (entity: string): string => `server/entities/${entity.toLowerCase()}.js`;

export const featureRequest = (entity: string): string => `Add an ${entity} entity to the API`;

function rename(text: string, entity: string): string {
  return text.replace(/Product/g, entity).replace(/product/g, entity.toLowerCase());
}

/**
 * Agents for any of those features. `beforeBackend` lets a test hold every backend agent
 * (e.g. until all runs are in flight and the user has edited the checkout).
 */
export function entityAgents(beforeBackend: () => Promise<void> = async () => {}): Record<string, AgentScript> {
  return {
    spec: ({ task }) => {
      const entity = /Add an? (\w+) entity/.exec(task)?.[1];
      if (!entity) throw new Error(`no entity in the spec task: ${task.slice(0, 200)}`);
      return say.spec(`${entity} API`, `${entity.toLowerCase()}-api`, entitySpec(entity));
    },
    backend: async ({ turn, task }) => {
      const entity = /the spec "(\w+) API"/.exec(task)?.[1];
      if (!entity) throw new Error(`no spec title in the backend task: ${task.slice(0, 200)}`);
      if (turn > 0) return say.done();
      await beforeBackend();
      return say.write({ [entityFile(entity)]: entityModule(entity) });
    },
    review: () => say.approve(),
  };
}

/** The shop config with run worktrees in a folder beside the checkout (cleaned up with it). */
export const worktreeConfig = (yaml: string): string =>
  `${yaml}\nisolation: worktree\nworktree:\n  dir: ../worktrees\n`;
