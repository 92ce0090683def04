/**
 * Mermaid's own parser (`mermaid.parse`, the package that renders the diagrams people see), run in
 * Node. `@mermaid-js/parser` alone covers only the newer diagrams (pie, packet, gitGraph,
 * architecture …), not sequence, state or flowchart diagrams, so the whole package is used.
 *
 * Parsing a flowchart or a state diagram passes labels through DOMPurify, whose default instance
 * has no methods without a DOM (`DOMPurify.addHook is not a function`). The default instance
 * (the one mermaid imports) is given the methods of an instance made on a linkedom document;
 * nothing is rendered and the sanitized labels are thrown away, so only the parse matters.
 * No global `window` is set: the extension host is shared with other extensions.
 */
import type { Mermaid } from 'mermaid' with { 'resolution-mode': 'import' };

export type ParseOutcome =
  { kind: 'ok'; diagramType: string } | { kind: 'unknown'; message: string } | { kind: 'error'; message: string };

let loading: Promise<Mermaid> | undefined;

async function loadMermaid(): Promise<Mermaid> {
  // ES modules: imported, not required (esbuild bundles them all the same).
  const [{ parseHTML }, { default: DOMPurify }] = await Promise.all([import('linkedom'), import('dompurify')]);
  const { window } = parseHTML('<!doctype html><html><head></head><body></body></html>');
  Object.assign(DOMPurify, DOMPurify(window as unknown as Parameters<typeof DOMPurify>[0]));
  const { default: mermaid } = await import('mermaid');
  mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
  return mermaid;
}

/** One parse at a time: mermaid keeps each diagram's state in module-level objects. */
let queue: Promise<unknown> = Promise.resolve();

export function parseDiagram(text: string): Promise<ParseOutcome> {
  const next = queue.then(async (): Promise<ParseOutcome> => {
    const mermaid = await (loading ??= loadMermaid());
    try {
      const result = await mermaid.parse(text);
      return { kind: 'ok', diagramType: result ? result.diagramType : 'unknown' };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof Error && error.name === 'UnknownDiagramError') return { kind: 'unknown', message };
      return { kind: 'error', message };
    }
  });
  queue = next.catch(() => undefined);
  return next;
}
