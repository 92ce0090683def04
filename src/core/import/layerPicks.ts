/** The "no layer" mark import leaves on a task, and the picker the sidebar shows for it (a leaf the engine lists specs with). */

/** A task that names no file and whose words point to no layer (specTasks.ts reads `layer: X` once one is picked). */
export const NO_LAYER = 'no layer (pick one when approving)';

/** Unowned tasks marked "no layer" at import, each with its source id and the layers to pick from (the sidebar's picker). */
export function withLayerPicks<T extends { kind: 'task' | 'file'; text: string }>(items: readonly T[], layers: readonly string[]): (T & { pick?: { task: string; layers: string[] } })[] {
  return items.map((item) => {
    const task = item.kind === 'task' && item.text.includes(NO_LAYER) ? /^(\S+)\s/.exec(item.text)?.[1] : undefined;
    return task ? { ...item, pick: { task, layers: [...layers] } } : item;
  });
}
