// A scripted server's requests held until a test releases them (GitHub slow just then).
/** Requests held until released (GitHub slow just then): `hold` one kind, `passed` waits while it is held. */
export function requestHolds() {
  const holds = new Set<{ test: (method: string, path: string) => boolean; released: Promise<void> }>();
  return {
    hold(test: (method: string, path: string) => boolean): () => void {
      let release!: () => void;
      const held = { test, released: new Promise<void>((resolve) => (release = resolve)) };
      holds.add(held);
      return () => {
        holds.delete(held);
        release();
      };
    },
    async passed(method: string, path: string): Promise<void> {
      for (const held of holds) if (held.test(method, path)) await held.released;
    },
  };
}
