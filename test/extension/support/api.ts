/** Client of the runner's scripted Messages API control server (ORCH_TEST_API_CONTROL). */
import type { ApiScenario, ApiState, SeenRequest } from './apiProtocol';

export const controlUrl = (): string | undefined => process.env.ORCH_TEST_API_CONTROL;

/** For suiteSetup: skips the suite when the runner started no test server (e.g. test:desktop). */
export function requireApi(ctx: Mocha.Context): void {
  if (!controlUrl() || !process.env.ANTHROPIC_BASE_URL) ctx.skip();
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const base = controlUrl();
  if (!base) throw new Error('ORCH_TEST_API_CONTROL is not set: the runner started no Messages API test server');
  const res = await fetch(`${base}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

export const api = {
  scenario: (s: ApiScenario) => call<{ ok: true; requestsSoFar: number }>('POST', '/scenario', s),
  state: () => call<ApiState>('GET', '/state'),
  /** Requests received after the first `from` ones. */
  async since(from: number): Promise<SeenRequest[]> {
    return (await api.state()).requests.slice(from);
  },
  async count(): Promise<number> {
    return (await api.state()).requests.length;
  },
};
