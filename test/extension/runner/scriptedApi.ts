/**
 * The Messages API test server the extension-host suites talk to (through
 * ANTHROPIC_BASE_URL in extensionEnvironment), scripted with the bench's "Add a Product
 * entity" agents, plus a small control server the suites use to pick a scenario and to see
 * what the "model" was asked (ORCH_TEST_API_CONTROL).
 *
 * Runs in the outer runner (tsx, Node 20), not in the extension host.
 *
 *   POST /scenario {"name":"product"}                 fresh conversations, every agent replies
 *   POST /scenario {"name":"hold","agent":"backend"}  same, but that agent's replies are held
 *                                                     (reply.slow) until the client gives up
 *   POST /scenario {"name":"fail","agent":"backend"}  same, but that agent's requests get a 400
 *                                                     invalid_request_error (a model error)
 *   POST /scenario {"name":"reject-key"}              every request gets 401 authentication_error
 *   GET  /state    {"scenario", "requests":[{index, agent, turn, attempt, apiKey, stream}], "scriptErrors":[…]}
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PRODUCT_SCREEN, productAgents } from '../../../bench/support/productFeature';
import {
  agentOfRequest,
  layerAgent,
  read,
  scriptedAgents,
  type ScriptedAgents,
} from '../../../bench/support/scriptedAgents';
import { apiKeyOf, fault, reply, startMessagesApiServer, type Scripted } from '../../support/messagesApiServer';
import { MAIN_JS_NOTE, type ApiScenario, type ApiState, type SeenRequest } from '../support/apiProtocol';

/** A held reply waits this long: far longer than any test, shorter than forever. */
const HOLD_MS = 10 * 60_000;

/**
 * The bench's Product agents (the proof agent among them, asked when a suite gives the config a
 * proof section), with one change: the frontend agent also notes the new screen
 * at the top of web/src/main.js. A run then creates three files and modifies one, which is
 * what Show Changes (a diff against the checkpoint) and Rollback (restore vs remove) need.
 */
function agentsFor(shopDir: string) {
  const mainJs = readFileSync(join(shopDir, 'web', 'src', 'main.js'), 'utf8');
  return {
    ...productAgents(),
    frontend: layerAgent(
      [read('web/src/customers.js'), read('web/src/api.js'), read('web/src/main.js')],
      () => ({ 'web/src/products.js': PRODUCT_SCREEN, 'web/src/main.js': MAIN_JS_NOTE + mainJs }),
      'web/src/products.js lists products; main.js points to it.',
    ),
  };
}

export interface ScriptedApi {
  /** ANTHROPIC_BASE_URL */
  url: string;
  /** ORCH_TEST_API_CONTROL */
  controlUrl: string;
  close(): Promise<void>;
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      try {
        resolve(body ? JSON.parse(body) : {});
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** `shopDir`: the examples/shop folder the agents' edits are based on. */
export async function startScriptedApi(shopDir: string): Promise<ScriptedApi> {
  let scenario: ApiScenario = { name: 'product' };
  let agents: ScriptedAgents = scriptedAgents(agentsFor(shopDir), 0);
  const seen: SeenRequest[] = [];

  const api = await startMessagesApiServer(async (req, index): Promise<Scripted> => {
    const agent = agentOfRequest(req) ?? '?';
    const before = agents.calls.length;
    const entry: SeenRequest = {
      index,
      agent,
      turn: -1,
      attempt: 0,
      apiKey: apiKeyOf(req) ?? '',
      stream: req.stream,
      held: false,
    };
    seen.push(entry);
    if (scenario.name === 'reject-key') return fault.auth();
    if (scenario.name === 'fail' && agent === scenario.agent)
      return fault.httpError(400, 'invalid_request_error', 'scripted model error');
    const scripted = await agents.script(req, index);
    const call = agents.calls[before];
    if (call) Object.assign(entry, { turn: call.turn, attempt: call.attempt });
    if (scenario.name === 'hold' && agent === scenario.agent && scripted.kind === 'reply') {
      entry.held = true;
      return reply.slow(scripted, { beforeMs: HOLD_MS });
    }
    return scripted;
  });

  const control = createServer((req, res) => {
    // One request per connection: a kept-alive socket the server times out just as the extension
    // host reuses it is a fetch that fails with ECONNRESET (seen on a loaded machine).
    res.setHeader('connection', 'close');
    void (async () => {
      const path = (req.url ?? '').split('?')[0];
      if (req.method === 'GET' && path === '/state') {
        const state: ApiState = { scenario, requests: seen, scriptErrors: api.scriptErrors.map((e) => e.message) };
        return send(res, 200, state);
      }
      if (req.method === 'POST' && path === '/scenario') {
        const body = (await readJson(req)) as ApiScenario;
        if (
          !['product', 'hold', 'fail', 'reject-key'].includes(body.name) ||
          ((body.name === 'hold' || body.name === 'fail') && !body.agent)
        ) {
          return send(res, 400, { error: `unknown scenario ${JSON.stringify(body)}` });
        }
        scenario = body;
        agents = scriptedAgents(agentsFor(shopDir), 0);
        return send(res, 200, { ok: true, requestsSoFar: seen.length });
      }
      return send(res, 404, { error: `no ${req.method} ${path}` });
    })().catch((e: unknown) => send(res, 500, { error: String(e) }));
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  const { port } = control.address() as AddressInfo;

  return {
    url: api.url,
    controlUrl: `http://127.0.0.1:${port}`,
    async close() {
      control.closeAllConnections();
      await new Promise<void>((resolve) => control.close(() => resolve()));
      await api.close();
    },
  };
}
