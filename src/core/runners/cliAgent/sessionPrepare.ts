/**
 * The first step of a CLI agent's session (cliSession.ts), `prepare`: the CLI's program, the
 * agent's own worktree (what a killed process of a resumed session left there comes back through
 * the owns gate first), its private home, its minimal environment and the secrets in it, the
 * answer's schema and the first message.
 */
import { existsSync } from 'node:fs';
import { type FinalToolName, finalToolSchemas, inputJsonSchema } from '../../agents';
import type { Pricing } from '../../llm';
import { prepareAgentWorktree, type AgentWorktree } from './agentWorktree';
import { missingCommandMessage, resolveCommand } from './cliCommand';
import type { CliSettings } from './cliDefaults';
import { cliEnvironment, secretValues } from './cliEnvironment';
import { firstMessage } from './cliPrompts';
import type { CliAdapter } from './cliTypes';
import { ownsGate } from './ownsGate';
import { preparePrivateHome, privateHomeOf, type PrivateHome } from './privateHome';
import type { SessionRecord } from './sessionRecord';

/** Who runs the session and under which settings, known before it starts. */
export interface SessionParts<F extends FinalToolName> {
  adapter: CliAdapter;
  record: SessionRecord<F>;
  settings: CliSettings;
  pricing: Pricing;
}

/** What every turn of the session runs with. */
export interface PreparedSession<F extends FinalToolName> extends SessionParts<F> {
  /** The CLI's program, resolved. */
  command: string;
  wt: AgentWorktree;
  place: PrivateHome;
  /** The agent's environment: the minimal one, with its private HOME and TMPDIR. */
  agentEnv: Record<string, string>;
  /** Our final tool's input schema, for the CLI's structured output. */
  schema: Record<string, unknown>;
  /** The first turn's message: the task and how the agent works here. */
  prompt: string;
}

/** The session ready for its first turn, or why it cannot start. */
export async function prepareSession<F extends FinalToolName>(
  parts: SessionParts<F>,
): Promise<PreparedSession<F> | { error: string }> {
  const { adapter, record, settings } = parts;
  const { runner } = adapter;
  const { def, env } = record;
  const command = resolveCommand(settings.command, env.workspace);
  if (!command) return { error: missingCommandMessage(runner, settings.command) };

  let wt: AgentWorktree;
  try {
    // Resuming a session: what its killed process left in the worktree comes back (through the owns gate) first.
    const leftovers = record.session ? async (left: AgentWorktree) => void (await ownsGate(record, left)) : undefined;
    wt = await prepareAgentWorktree(
      {
        home: env.home,
        runWorkspace: env.workspace,
        runId: env.runId,
        agent: record.agent,
        config: env.config,
        ...(adapter.hidden ? { hidden: adapter.hidden } : {}),
      },
      leftovers,
    );
  } catch (error) {
    return { error: `${runner}: the agent's worktree could not be made: ${(error as Error).message}` };
  }
  // Every CLI keeps its sessions in the agent's private home. Without it here the run was resumed on
  // another machine (a pool worker taking over a dead one's run): the layer starts a new session
  // rather than asking the CLI for one it cannot have.
  if (record.session !== undefined && !existsSync(privateHomeOf(wt.root).home)) record.sessionGone();
  // HOME and TMPDIR: the agent's own, with its CLI's sign-in only (never the user's ~/.ssh, ~/.aws …).
  const place = preparePrivateHome(wt.root, adapter.signIn);
  const agentEnv = cliEnvironment(settings.env, { HOME: place.home, TMPDIR: place.tmp });
  record.secrets = secretValues(agentEnv, settings.env);
  return {
    ...parts,
    command,
    wt,
    place,
    agentEnv,
    schema: jsonSchemaOf(def.finalTool),
    prompt: firstMessage(def, wt.workspace),
  };
}

const schemas = new Map<FinalToolName, Record<string, unknown>>();

/** Our final tool's input schema as JSON Schema, for the CLI's structured output. */
function jsonSchemaOf(tool: FinalToolName): Record<string, unknown> {
  let schema = schemas.get(tool);
  if (!schema) {
    schema = inputJsonSchema(finalToolSchemas[tool]);
    schemas.set(tool, schema);
  }
  return schema;
}
