/**
 * The embedded store's connection as its statements use it: each statement prepared once and
 * reused, and the file's identity and size checked after it (after a failure, SQLite's error
 * too). Preparing (parsing and planning the SQL) cost more than running it: in bench row 34's
 * profile, `prepare` was over half of a signed-in request's session lookup. The cache is bounded
 * because a few statements are built with a varying number of marks (an IN list, a LIMIT): the
 * oldest prepared goes first. SQLite re-prepares a cached statement itself when another process
 * changes the schema.
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import type { Row } from './rows';
import type { StoreFileGuard } from './storeFileGuard';

/** Far more than the store's distinct statements (about 60): only odd SQL is ever dropped. */
const MAX_STATEMENTS = 200;

export class CheckedConnection {
  private readonly prepared = new Map<string, StatementSync>();
  /** Inside transaction(): its statements are not checked one by one; its COMMIT is. */
  private inTransaction = false;

  constructor(
    private readonly db: DatabaseSync,
    private readonly guard: StoreFileGuard,
    private readonly maxStatements = MAX_STATEMENTS,
  ) {}

  all(sql: string, ...params: SQLInputValue[]): Row[] {
    return this.checked(() => this.statement(sql).all(...params) as Row[]);
  }

  one(sql: string, ...params: SQLInputValue[]): Row | undefined {
    return this.checked(() => this.statement(sql).get(...params) as Row | undefined);
  }

  run(sql: string, ...params: SQLInputValue[]): void {
    this.checked(() => this.statement(sql).run(...params));
  }

  /** Runs `work` in one write transaction (taken at once, so a concurrent writer waits instead of failing midway). */
  transaction<T>(work: () => T): T {
    this.guard.throwIfLost();
    this.exec('BEGIN IMMEDIATE');
    this.inTransaction = true;
    try {
      const result = work();
      this.exec('COMMIT');
      this.inTransaction = false;
      this.guard.check();
      return result;
    } catch (error) {
      this.inTransaction = false;
      // Even on a lost file: the transaction must end.
      try {
        this.db.exec('ROLLBACK');
      } catch {
        // no transaction left to end
      }
      throw error;
    }
  }

  /** How many statements are kept prepared (the bound's test). */
  get preparedCount(): number {
    return this.prepared.size;
  }

  close(): void {
    this.prepared.clear();
    this.db.close();
  }

  /** Refused once the file is known lost: no system call here, the file is looked at after each statement. */
  private statement(sql: string): StatementSync {
    this.guard.throwIfLost();
    let statement = this.prepared.get(sql);
    if (!statement) {
      if (this.prepared.size >= this.maxStatements) this.prepared.delete(this.prepared.keys().next().value!);
      statement = this.db.prepare(sql);
      this.prepared.set(sql, statement);
    }
    return statement;
  }

  /**
   * After each statement (outside a transaction): the file must still be the one opened, no
   * shorter, else this throws and the caller acknowledges nothing. Once is enough: a statement that
   * ran on a file lost before it is caught here, before anyone is answered; a later one is refused
   * unrun. A statement that failed is looked at too (StoreFileGuard.checkAfterFailure).
   */
  private checked<T>(work: () => T): T {
    let result: T;
    try {
      result = work();
    } catch (error) {
      this.guard.checkAfterFailure(error, this.db);
      throw error;
    }
    if (!this.inTransaction) this.guard.check();
    return result;
  }

  private exec(sql: string): void {
    try {
      this.db.exec(sql);
    } catch (error) {
      this.guard.checkAfterFailure(error, this.db);
      throw error;
    }
  }
}
