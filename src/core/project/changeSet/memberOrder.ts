/**
 * The order a change-set's members are worked on and merged: every producer before its consumers,
 * members with no edge between them in the workspace file's order. A cycle has no such order.
 */
export interface Edge {
  consumer: string;
  producer: string;
}

export type MemberOrder = { order: string[] } | { cycle: string[] };

export function memberOrder(names: readonly string[], edges: readonly Edge[]): MemberOrder {
  const producers = new Map(names.map((n) => [n, new Set<string>()]));
  for (const { consumer, producer } of edges) producers.get(consumer)?.add(producer);
  const order: string[] = [];
  const placed = new Set<string>();
  while (order.length < names.length) {
    const next = names.find((n) => !placed.has(n) && [...producers.get(n)!].every((p) => placed.has(p)));
    if (next === undefined)
      return {
        cycle: cycleAmong(
          names.filter((n) => !placed.has(n)),
          producers,
        ),
      };
    order.push(next);
    placed.add(next);
  }
  return { order };
}

/** One cycle among members none of which could be placed: followed from the first through its producers. */
function cycleAmong(left: string[], producers: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const path: string[] = [];
  let at = left[0]!;
  while (!path.includes(at)) {
    path.push(at);
    at = [...producers.get(at)!].find((p) => left.includes(p))!;
  }
  return [...path.slice(path.indexOf(at)), at];
}

/** Every producer a member takes, through others too (its links lead to their work trees). */
export function producersOf(name: string, edges: readonly Edge[]): string[] {
  const found = new Set<string>();
  const visit = (consumer: string) => {
    for (const edge of edges)
      if (edge.consumer === consumer && !found.has(edge.producer)) {
        found.add(edge.producer);
        visit(edge.producer);
      }
  };
  visit(name);
  return [...found];
}
