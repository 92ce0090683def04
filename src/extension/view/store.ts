/**
 * Holds the current view model and notifies listeners on change. Deliberately free of VS Code
 * so tests can drive it; the reducer does all the thinking.
 */
import { emptyViewState, type ViewState } from '../../shared/viewState';
import type { ViewAction } from './actions';
import { reduce } from './reducer';

export type Listener = (state: ViewState) => void;

export class ViewStore {
  private current: ViewState = emptyViewState();
  private readonly listeners = new Set<Listener>();

  get state(): ViewState {
    return this.current;
  }

  dispatch(action: ViewAction): void {
    const next = reduce(this.current, action);
    if (next === this.current) return;
    this.current = next;
    for (const listener of [...this.listeners]) {
      try {
        listener(next);
      } catch {
        // A failing view must not stop the others (or the engine that dispatched the event).
      }
    }
  }

  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}
