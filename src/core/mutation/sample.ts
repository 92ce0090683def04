/**
 * The mutants a budget allows (issue 61): spread evenly over the changed lines, the choice within
 * each stride fixed by a seed the run journals, so a resume samples the same mutants.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Mutant } from './types';

/** A fresh seed, for a run's first strength step (journaled; a resume reuses it). */
export function newSeed(): string {
  return randomBytes(8).toString('hex');
}

/**
 * At most `cap` of `mutants`: sorted by file, line and column, cut into `cap` even strides, one
 * taken from each by the seed. All of them when they fit.
 */
export function sampleMutants(mutants: readonly Mutant[], cap: number, seed: string): Mutant[] {
  const sorted = [...mutants].sort(byPlace);
  if (sorted.length <= cap) return sorted;
  if (cap <= 0) return [];
  const picked: Mutant[] = [];
  for (let i = 0; i < cap; i++) {
    const from = Math.floor((i * sorted.length) / cap);
    const to = Math.floor(((i + 1) * sorted.length) / cap);
    picked.push(sorted[from + (draw(seed, i) % (to - from))]!);
  }
  return picked;
}

/** A stable id for a mutant: its file, place and change. */
export function mutantId(m: Omit<Mutant, 'id'>): string {
  return createHash('sha256').update([m.path, m.line, m.column, m.operator, m.replacement].join('\0')).digest('hex').slice(0, 12);
}

function draw(seed: string, i: number): number {
  return createHash('sha256').update(`${seed}:${i}`).digest().readUInt32BE(0);
}

function byPlace(a: Mutant, b: Mutant): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || a.column - b.column || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
