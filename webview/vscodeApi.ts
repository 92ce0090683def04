/**
 * The webview side of the VS Code bridge: typed posting, and the persisted state that lets the
 * view render at once after being hidden or reloaded (before the host re-sends its state).
 */
import { viewStateSchema, type ViewState, type WebviewMessage } from '../src/shared/protocol.js';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** acquireVsCodeApi may be called only once per load. */
const api = acquireVsCodeApi();

export function post(message: WebviewMessage): void {
  api.postMessage(message);
}

/** Local UI state the host does not know about: typed feedback, which sections are open. */
export interface UiState {
  feedback: Record<string, string>;
  open: Record<string, boolean>;
}

export interface Persisted {
  view?: ViewState;
  ui: UiState;
}

const asRecord = <T>(value: unknown, keep: (v: unknown) => v is T): Record<string, T> =>
  typeof value === 'object' && value !== null
    ? Object.fromEntries(Object.entries(value).filter((e): e is [string, T] => keep(e[1])))
    : {};

/** Persisted state may come from an older version of the extension: validate, keep what is good. */
export function loadPersisted(): Persisted {
  const raw = (api.getState() ?? {}) as { view?: unknown; ui?: { feedback?: unknown; open?: unknown } };
  const view = viewStateSchema.safeParse(raw.view);
  return {
    view: view.success ? view.data : undefined,
    ui: {
      feedback: asRecord(raw.ui?.feedback, (v): v is string => typeof v === 'string'),
      open: asRecord(raw.ui?.open, (v): v is boolean => typeof v === 'boolean'),
    },
  };
}

export function savePersisted(state: Persisted): void {
  api.setState(state);
}
