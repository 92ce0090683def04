/**
 * The Mermaid room as the engine loads it: on the first gate with the `mermaid` check, never at
 * start (the parser and its diagrams weigh megabytes). scripts/build.mjs makes this dist/mermaid.js
 * and turns each `require('…/mermaid/room')` into `require("./mermaid.js")`.
 */
export { mermaidProblems, type MermaidProblem } from './mermaidBlocks';
