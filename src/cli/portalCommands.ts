/** `orchestrator serve` and `orchestrator user …`: the supervisor portal from the terminal (docs/portal.md). */
import { createInterface } from 'node:readline';
import { engine } from '../core/engineBundle';
import type * as PortalBundle from '../portal/index';
import type { CliArgs } from './args';
import { printTable } from './output';
import { err, out, outJson, visibleLine } from './terminal';

const VERSION = '0.1.0';

/** The portal is its own bundle (scripts/build.mjs: dist/portal.js), loaded only by these commands. */
function portalBundle(): typeof PortalBundle {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../portal/index') as typeof PortalBundle;
}

export async function serve(workspace: string, args: CliArgs, signal: AbortSignal): Promise<void> {
  const queue = await engine.openQueue(workspace, {
    trusted: true,
    say: (line) => err(`orchestrator: ${visibleLine(line)}\n`),
  });
  try {
    await portalBundle().servePortal(queue, {
      ...(args.port !== undefined ? { port: Number(args.port) } : {}),
      ...(args.host !== undefined ? { host: args.host } : {}),
      version: VERSION,
      signal,
      say: (line) => err(`${line}\n`),
    });
  } finally {
    await queue.close();
  }
}

/** 0; a refused account operation throws an E_USAGE error (printed, exit 2). */
export async function userCommand(workspace: string, args: CliArgs): Promise<number> {
  const queue = await engine.openQueue(workspace, {
    trusted: true,
    say: (line) => err(`orchestrator: ${visibleLine(line)}\n`),
  });
  const { Accounts } = portalBundle();
  const accounts = new Accounts(queue.store);
  try {
    const name = args.positional!;
    if (args.subcommand === 'list') {
      printTable(
        args.json,
        (await accounts.list()).map((a) => ({ ...a, email: a.email ?? '', token: a.hasToken ? 'issued' : '' })),
        ['name', 'role', 'email', 'token', 'createdAt'],
      );
    } else if (args.subcommand === 'add') {
      const existing = await accounts.get(name);
      // Agents sign in with their MCP token, an account with an email through OpenID Connect: a password is optional (an empty line leaves none).
      const optional =
        args.role === 'agent'
          ? 'the agent uses its token'
          : args.email && args.email !== '-'
            ? `signs in as ${args.email} through OpenID Connect`
            : existing
              ? 'unchanged'
              : undefined;
      const password = await readPassword(
        optional ? `Password for ${name} (empty: ${optional}): ` : `Password for ${name}: `,
      );
      const account = await accounts.put(
        name,
        args.role,
        password === '' && (optional || existing) ? undefined : password,
        args.email === '-' ? null : args.email,
      );
      if (args.json) outJson(account);
      else
        out(
          `${existing ? 'updated' : 'added'} ${account.name} (${account.role}${account.email ? `, ${account.email}` : ''})\n`,
        );
    } else if (args.revoke) {
      await accounts.revokeToken(name);
      out(`revoked the MCP token of ${name}: it no longer works\n`);
    } else {
      const token = await accounts.issueToken(name);
      // Shown once, on stdout only (for a script to capture); only its hash is kept.
      if (args.json) outJson({ name, token });
      else {
        err(`a new MCP token for ${name} (any previous one stops working); it is shown only now:\n`);
        out(`${token}\n`);
      }
    }
    return 0;
  } finally {
    await queue.close();
  }
}

/** The password from stdin: asked twice, unechoed, on a terminal; the first line when piped. */
async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin });
    const line = await new Promise<string>((resolve) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(''));
    });
    rl.close();
    return line;
  }
  const first = await askHidden(prompt);
  if (first === '') return first;
  const second = await askHidden('Again: ');
  if (first !== second)
    throw Object.assign(new Error('the two passwords differ: nothing was changed'), { code: 'E_USAGE' });
  return first;
}

function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    err(prompt);
    const rl = createInterface({ input: process.stdin, terminal: true });
    // Typed characters are not echoed: readline writes nothing without an output stream.
    rl.once('line', (line) => {
      err('\n');
      rl.close();
      resolve(line);
    });
  });
}
