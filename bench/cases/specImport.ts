/**
 * Importing a large Kiro folder (issue 18): 300 requirements with 4 criteria each, 600 tasks in
 * 150 groups with links and wrapped titles, a 2,000-line design. Timed from the folder's text to
 * the rendered spec.md (the markdown parser, links, layer guesses, rendering), without disk.
 */
import { readKiro } from '../../src/core/import/kiro';
import { renderForeign } from '../../src/core/import/renderForeign';
import { configSchema } from '../../src/core/project/config/configSchema';
import { median } from '../support/stats';
import type { BenchCase } from '../types';

const RUNS = 9;
const TARGET_MS = 500;

function folder(): { requirements: string; design: string; tasks: string } {
  const requirements = ['# Requirements Document', '', '## Requirements', ''];
  for (let r = 1; r <= 300; r++) {
    requirements.push(
      `### Requirement ${r}: Feature ${r}`,
      '',
      `**User Story:** As a user, I want feature ${r}, so that I can work.`,
      '',
      '#### Acceptance Criteria',
      '',
    );
    for (let c = 1; c <= 4; c++)
      requirements.push(`${c}. WHEN the user asks for item ${r}.${c} THEN the system SHALL answer within 200 ms`);
    requirements.push('');
  }
  const tasks = ['# Implementation Plan', ''];
  for (let g = 1; g <= 150; g++) {
    tasks.push(`- [${g % 3 === 0 ? 'x' : g % 3 === 1 ? '-' : ' '}] ${g}. Group ${g}`);
    for (let t = 1; t <= 4; t++) {
      tasks.push(
        `  - [${t === 4 ? ' ]*' : ' ]'} ${g}.${t} Build part ${t} of feature ${g} in \`server/feature${g}/part${t}.js\``,
        '    and its test lib/__tests__/part.test.ts',
        `    - _Requirements: ${((g * 2) % 300) + 1}.${t}_`,
      );
    }
  }
  const design = Array.from(
    { length: 400 },
    (_, i) =>
      `## Component ${i}\n\nThe component lives in \`server/component${i}.js\` and renders in \`web/src/component${i}.js\`.\n`,
  ).join('\n');
  return { requirements: requirements.join('\n'), design, tasks: tasks.join('\n') };
}

export default {
  title: 'Import: large Kiro folder',
  order: 15,
  async run() {
    const files = folder();
    const config = configSchema.parse({
      version: 1,
      layers: { backend: { owns: ['server/**'] }, frontend: { owns: ['web/**'] } },
    });
    const samples: number[] = [];
    let size = 0;
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      size = renderForeign(readKiro(files, 'big'), '.kiro/specs/big', config).length;
      samples.push(performance.now() - start);
    }
    const ms = median(samples);
    return [
      {
        name: `Import a Kiro folder: 300 requirements, 600 tasks, 2,000-line design (median of ${RUNS})`,
        value: Math.round(ms),
        unit: 'ms',
        target: `≤ ${TARGET_MS} ms`,
        pass: ms <= TARGET_MS,
        note: `Read (mdast + GFM), links, layer decisions and the rendered spec (${Math.round(size / 1024)} KiB), in memory: ${samples.map((s) => s.toFixed(0)).join(', ')} ms. Target chosen here (none was given).`,
      },
    ];
  },
} satisfies BenchCase;
