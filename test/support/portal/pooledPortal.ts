// The portal on a pool: a shop whose queue is a PostgreSQL database the pool's store shares, so a
// test dispatches, claims and mirrors runs with the store and reads or decides them in the portal.
import { after, before } from 'node:test';
import { PoolStore } from '../../../src/pool/poolStore';
import { madeBefore } from '../madeBefore';
import { freshDatabase, startPostgres, type Postgres } from '../postgres';
import { portalWorld, type PortalWorld } from './portalKit';

export interface PooledPortal {
  readonly store: PoolStore;
  readonly world: PortalWorld;
}

/**
 * The test file's pooled portal on a private PostgreSQL server (`database` names its database;
 * `config` edits the shop's config before the queue is added): started before its tests, closed
 * after them. Read it inside tests, once it has started.
 */
export function usePooledPortal(database: string, config: (yaml: string) => string = (yaml) => yaml): PooledPortal {
  let pg: Postgres | undefined;
  let store: PoolStore | undefined;
  let world: PortalWorld | undefined;
  before(async () => {
    pg = await startPostgres();
    const url = await freshDatabase(pg, database);
    store = await PoolStore.open(url);
    world = await portalWorld({ config: (yaml) => `${config(yaml)}\nqueue:\n  url: ${url}\n` });
  });
  after(async () => {
    await world?.close();
    await store?.close();
    pg?.stop();
  });
  return {
    get store() {
      return madeBefore(store, 'the pool store');
    },
    get world() {
      return madeBefore(world, 'the pooled portal');
    },
  };
}
