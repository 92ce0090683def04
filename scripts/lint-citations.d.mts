/** Each `file:line: cites X` of the tree under root (scripts/lint-citations.mjs). */
export function deadCitations(root: string): string[];
