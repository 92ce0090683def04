/** What the runner's scripted Messages API control server (runner/scriptedApi.ts) speaks. */

/** The line the scripted frontend agent adds at the top of web/src/main.js (so a run also modifies a file). */
export const MAIN_JS_NOTE = '// Products: the list screen lives in ./products.js (listProducts, renderProducts).\n';

export type ApiScenario =
  { name: 'product' } | { name: 'hold'; agent: string } | { name: 'fail'; agent: string } | { name: 'reject-key' };

export interface SeenRequest {
  /** Arrival order across the whole server. */
  index: number;
  /** From the system prompt's "# You are the X SPECIALIST" ('?' when missing). */
  agent: string;
  /** Turn within the agent's attempt (-1 when the script did not answer it). */
  turn: number;
  attempt: number;
  /** The credential the request carried (x-api-key or Bearer). */
  apiKey: string;
  stream: boolean;
  /** Answered with a held (very slow) reply. */
  held: boolean;
}

export interface ApiState {
  scenario: ApiScenario;
  requests: SeenRequest[];
  scriptErrors: string[];
}
