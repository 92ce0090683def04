// What every CLI runner's end-to-end world is made of, written once: the config lines that put
// layers and roles on the runner, its endpoint and key in this process's environment (where the
// runner reads them from), and our agents on the harness's server beside the CLI's own server.
import { harness, type Harness } from '../engine/harness';

/** Sets `values` in this process's environment; restore() puts back what was there. */
export function withEnvironment(values: Record<string, string>): { restore(): void } {
  const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  Object.assign(process.env, values);
  return {
    restore() {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    },
  };
}

export interface OnRunnerOptions {
  roles?: string[];
  /** More of agentCli.<runner>'s settings (`maxTurns: 3`). */
  agentCli?: string;
  /** The model the layers and roles are given, when not the CLI's usual test model. */
  model?: string;
}

/**
 * The config lines that put `layers` (and `roles`) on `runner`, with the npm program as its command,
 * the variables it is given, and `pricing` (the config's pricing: block, or '' for an unpriced model).
 */
export function onRunner(
  runner: string,
  cli: { command: string; env: string[]; model: string; pricing: string },
  layers: string[],
  extra: OnRunnerOptions = {},
): (yaml: string) => string {
  return (yaml) => {
    let out = yaml;
    for (const layer of layers) out = out.replace(new RegExp(`(\\n {2}${layer}:\\n)`), `$1    runner: ${runner}\n`);
    // models.agents.<role> is the model the CLI is given (the shop's own line for a role on the runner goes first).
    const agents = [...layers, ...(extra.roles ?? [])].map((a) => `    ${a}: ${extra.model ?? cli.model}\n`).join('');
    out = out
      .replace(/^(\s+)(review|spec): claude-[a-z0-9-]+\n/gm, (line, _indent: string, role: string) =>
        extra.roles?.includes(role) ? '' : line,
      )
      .replace(/\n {2}agents:\n/, `\n  agents:\n${agents}`);
    const roles = extra.roles?.length
      ? `runners: { ${extra.roles.map((role) => `${role}: ${runner}`).join(', ')} }\n`
      : '';
    return `${out}\n${roles}agentCli:\n  ${runner}: { command: ${JSON.stringify(cli.command)}, env: [${cli.env.join(', ')}]${extra.agentCli ? `, ${extra.agentCli}` : ''} }\n${cli.pricing}`;
  };
}

/** The usual world: our agents on the harness's server, the CLI's on `server`, its variables set while it lasts. */
export async function runnerWorld<S extends { api: { url: string; close(): Promise<void> } }>(
  server: S,
  variables: (url: string) => Record<string, string>,
  ours: Parameters<typeof harness>[0],
  config: (yaml: string) => string,
  files?: Record<string, string>,
): Promise<{ h: Harness; server: S; done(): Promise<void> }> {
  const h = await harness(ours, { config, ...(files ? { files } : {}) });
  const env = withEnvironment(variables(server.api.url));
  return {
    h,
    server,
    async done() {
      env.restore();
      await server.api.close();
      await h.close();
    },
  };
}
