/**
 * Base for everything that owns resources: children are registered in one place and
 * disposed exactly once, in reverse order of registration (later things may depend on
 * earlier ones). Structural typing keeps this free of VS Code so it is testable.
 */
export interface IDisposable {
  dispose(): unknown;
}

export abstract class Disposable implements IDisposable {
  private readonly owned: IDisposable[] = [];
  private disposed = false;

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  /** Takes ownership of `d`; disposes it at once if this object is already disposed. */
  protected register<T extends IDisposable>(d: T): T {
    if (this.disposed) void d.dispose();
    else this.owned.push(d);
    return d;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    while (this.owned.length > 0) {
      try {
        void this.owned.pop()!.dispose();
      } catch {
        // Keep disposing the rest; one broken resource must not leak the others.
      }
    }
  }
}

/** Wraps a plain function as a disposable. */
export const toDisposable = (fn: () => void): IDisposable => ({ dispose: fn });
