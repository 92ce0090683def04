/**
 * The mutants a budget allows (issue 61), for every engine: spread evenly over the changed lines,
 * a round taking one mutant from each line (the lines in a seeded order) before any line gives a
 * second, so a line with many operators does not crowd out the others. The seed is journaled: the
 * same seed picks the same mutants, whatever order they come in, so a resume samples alike.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Mutant } from './types';

/** A fresh seed, for a run's first strength step (journaled; a resume reuses it). */
export function newSeed(): string {
  return randomBytes(8).toString('hex');
}

/** A mutant's id, for every engine: stable across calls and a resume, from its file, place and change. */
export function mutantId(m: Pick<Mutant, 'path' | 'line' | 'column' | 'operator' | 'replacement'>): string {
  return createHash('sha256')
    .update([m.path, m.line, m.column, m.operator, m.replacement].join('\0'))
    .digest('hex')
    .slice(0, 16);
}

/** What the sampler needs of a mutant (the built-in mutator's and StrykerJS's both have it). */
export interface Sampled {
  id: string;
  path: string;
  line: number;
}

/** A 32-bit seed from a string or number (FNV-1a over its text). */
function seedOf(seed: string | number): number {
  let h = 0x811c9dc5;
  for (const c of String(seed)) {
    h ^= c.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** mulberry32: a small seeded generator, uniform enough to shuffle. */
function generator(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * At most `cap` of the mutants, spread evenly over their lines, the same for the same seed and
 * mutants (whatever order they come in); returned in the order given.
 */
export function sampleMutants<T extends Sampled>(mutants: readonly T[], cap: number, seed: string | number): T[] {
  if (mutants.length <= cap) return [...mutants];
  if (cap <= 0) return [];
  const random = generator(seedOf(seed));
  const byLine = new Map<string, T[]>();
  const sorted = [...mutants].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const m of sorted) {
    const key = `${m.path}\0${String(m.line).padStart(9, '0')}`;
    byLine.set(key, [...(byLine.get(key) ?? []), m]);
  }
  const lines = [...byLine.keys()].sort().map((key) => shuffle(byLine.get(key)!, random));
  const order = shuffle(lines, random);
  const chosen = new Set<T>();
  for (let round = 0; chosen.size < cap; round++) {
    for (const line of order) {
      const m = line[round];
      if (m && chosen.size < cap) chosen.add(m);
    }
  }
  return mutants.filter((m) => chosen.has(m));
}
