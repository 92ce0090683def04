/**
 * Fenced code for the line scanners of spec.md: a fence closes only with the same character,
 * at least as long (CommonMark), so a ```` fence holding a design with ``` blocks stays one block.
 */
const FENCE = /^\s{0,3}(`{3,}|~{3,})/;

/** A function telling, line by line, whether the line is part of fenced code (fence lines included). */
export function fenceTracker(): (line: string) => boolean {
  let open: string | undefined;
  return (line) => {
    const fence = FENCE.exec(line)?.[1];
    if (open === undefined) {
      if (fence) open = fence;
      return open !== undefined;
    }
    if (fence && fence[0] === open[0] && fence.length >= open.length && line.trim() === fence) open = undefined;
    return true;
  };
}
