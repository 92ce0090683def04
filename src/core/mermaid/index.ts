/**
 * The Mermaid check's door: its own bundle (dist/mermaid.js), loaded by the first gate that checks
 * a Mermaid block.
 */
export { mermaidRoom } from './load';
