/**
 * The PostgreSQL machinery shared by the team's stores on one database (the task queue here,
 * the pool of workers in src/pool): a connection pool whose idle errors never crash the
 * process, schemas created and migrated under an advisory lock (two machines starting at once
 * do not race), transactions, and LISTEN on a connection of its own that comes back after a
 * restart of the server.
 */
import type { Pool, PoolClient } from 'pg';

export type PgRow = Record<string, unknown>;

/** One store's tables: the table holding its version, the lock serializing its migrations, its steps. */
export interface PgSchema {
  versionTable: string;
  /** Any 64-bit number of our own, one per schema. */
  lock: number;
  /** MIGRATIONS[v] takes the schema at version v to v + 1. */
  migrations: readonly (readonly string[])[];
  /** What the store is, for errors: "the queue", "the pool". */
  what: string;
}

/** A pool of connections to `url` with `schema` brought up to date; a failure names the URL without its password. */
export async function openPgPool(url: string, schema: PgSchema, max = 4): Promise<Pool> {
  const { Pool } = await import('pg');
  const pool = new Pool({ connectionString: url, max, connectionTimeoutMillis: 10_000 });
  // An idle client's network error must not crash the process: the next query reports it.
  pool.on('error', () => undefined);
  try {
    await migrate(await pool.connect(), schema);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new Error(
      `queue.url: cannot use the PostgreSQL ${schema.what} at ${redactUrl(url)}: ${(error as Error).message}`,
    );
  }
  return pool;
}

async function migrate(client: PoolClient, schema: PgSchema): Promise<void> {
  const latest = schema.migrations.length;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [schema.lock]);
    await client.query(`CREATE TABLE IF NOT EXISTS ${schema.versionTable} (version INTEGER NOT NULL)`);
    const found = await client.query(`SELECT version FROM ${schema.versionTable}`);
    const version = found.rows.length ? Number(found.rows[0].version) : 0;
    if (version > latest)
      throw new Error(
        `${schema.what} was written by a newer Orchestrator (schema ${version}, this one knows ${latest})`,
      );
    if (version < latest) {
      for (const statements of schema.migrations.slice(version))
        for (const statement of statements) await client.query(statement);
      await client.query(`DELETE FROM ${schema.versionTable}`);
      await client.query(`INSERT INTO ${schema.versionTable} (version) VALUES ($1)`, [latest]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export type TxQuery = (sql: string, params: unknown[]) => Promise<PgRow[]>;

/** Runs `work` on one connection inside BEGIN … COMMIT; a throw rolls back. */
export async function inTransaction<T>(pool: Pool, work: (query: TxQuery) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A checked-out client's lost connection (the server restarted between two of its queries) is
  // emitted on the client, not the pool: unheard, it would end the process. Its next query fails
  // instead, and the broken client is dropped, not put back.
  let lost: Error | undefined;
  const onError = (error: Error): void => void (lost ??= error);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(async (sql, params) => (await client.query(sql, params)).rows as PgRow[]);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.removeListener('error', onError);
    client.release(lost);
  }
}

/**
 * LISTEN on `channel` on a connection of its own (not the pool's: it stays open). A lost
 * connection is opened again every second until the server answers; `onReconnect` is then
 * called, since notifications sent meanwhile are not replayed (a listener re-reads).
 */
export async function listenChannel(
  url: string,
  channel: string,
  onPayload: (payload: string) => void,
  onReconnect: () => void = () => undefined,
): Promise<() => Promise<void>> {
  const { Client } = await import('pg');
  let client: InstanceType<typeof Client> | undefined;
  let stopped = false;
  const schedule = (): void => {
    if (!stopped) setTimeout(() => void connect().then(onReconnect, schedule), 1000).unref();
  };
  const connect = async (): Promise<void> => {
    const next = new Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    next.on('notification', (message) => onPayload(message.payload ?? ''));
    let lost = false;
    const onLost = (): void => {
      if (lost) return;
      lost = true;
      void next.end().catch(() => undefined);
      if (client === next) schedule();
    };
    next.on('error', onLost);
    next.on('end', onLost);
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
    } catch (error) {
      lost = true;
      void next.end().catch(() => undefined);
      throw error;
    }
    client = next;
  };
  await connect();
  return async () => {
    stopped = true;
    await client?.end().catch(() => undefined);
  };
}

/** The URL as it may be shown: never its password. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured URL';
  }
}
