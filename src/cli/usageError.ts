import type { CommandName } from './cliArgs';

/** Bad usage: main prints this line, the command's usage lines and the near-miss hint (never the whole help); exit 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose usage lines follow the error. */
    public command?: CommandName,
    /** `did you mean "feature"?` */
    readonly hint?: string,
  ) {
    super(message);
  }
}
