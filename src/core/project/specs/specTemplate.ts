/**
 * The spec body from seed 002 Phase 2, in English, rendered from structured data. The spec
 * agent may instead write its own markdown, which is stored verbatim.
 */
export type SpecChangeType = 'New entity' | 'New feature' | 'Modification' | 'Bug fix';

export interface SpecFileEntry {
  path: string;
  description?: string;
  done?: boolean;
}

export interface SpecTaskEntry {
  text: string;
  done?: boolean;
  /** Requirement (or criterion) ids the task serves, appended as `(REQ-1, REQ-2.1)`. */
  requirements?: string[];
}

/** A requirement with its id (`REQ-1`) and acceptance criteria in EARS form. */
export interface SpecRequirementEntry {
  id: string;
  title: string;
  story?: string;
  /** `WHEN … THE … SHALL …`; ids default to `{id}.{n}`. */
  criteria: Array<string | { id?: string; text: string }>;
}

/** An endpoint's contract: the success payload and every failure (4xx, 5xx, timeouts). */
export interface SpecContractEntry {
  endpoint: string;
  success: string;
  failures: string[];
}

export interface SpecTemplateData {
  title: string;
  /** YYYY-MM-DD (UTC). */
  date: string;
  status: string;
  summary: string;
  entityInfo?: { pattern?: string | null; references?: string[]; type: SpecChangeType };
  requirements?: SpecRequirementEntry[];
  contracts?: SpecContractEntry[];
  /** Files per layer, in layer order. */
  files: Record<string, SpecFileEntry[]>;
  tasks: Array<string | SpecTaskEntry>;
  dependencies?: string[];
}

export function renderSpecBody(data: SpecTemplateData): string {
  const lines: string[] = [
    `## Spec: ${oneLine(data.title)}`,
    '',
    `### Date: ${data.date}`,
    `### Status: ${data.status}`,
    '',
    '### Summary',
    data.summary.trim() || '(none)',
    '',
  ];
  if (data.entityInfo) {
    const { pattern, references, type } = data.entityInfo;
    lines.push(
      '### Entity Info',
      `- Pattern: ${pattern || 'none'}`,
      `- References: ${references && references.length > 0 ? references.join(', ') : 'none'}`,
      `- Type: ${type}`,
      '',
    );
  }
  if (data.requirements?.length) lines.push(...requirementLines(data.requirements));
  if (data.contracts?.length) lines.push(...contractLines(data.contracts));
  lines.push('### Files to Create/Modify', '');
  for (const [layer, files] of Object.entries(data.files)) {
    lines.push(`#### ${layerHeading(layer)}`);
    for (const file of files) {
      const description = file.description ? `: ${oneLine(file.description)}` : '';
      lines.push(`- ${checkbox(file.done)} ${file.path}${description}`);
    }
    lines.push('');
  }
  lines.push('### Tasks');
  data.tasks.forEach((task, index) => {
    const entry: SpecTaskEntry = typeof task === 'string' ? { text: task } : task;
    const cites = entry.requirements?.length ? ` (${entry.requirements.join(', ')})` : '';
    lines.push(`${index + 1}. ${checkbox(entry.done)} ${oneLine(entry.text)}${cites}`);
  });
  lines.push('', '### Dependencies');
  const dependencies = data.dependencies ?? [];
  if (dependencies.length === 0) lines.push('- None');
  for (const dependency of dependencies) lines.push(`- ${oneLine(dependency)}`);
  return `${lines.join('\n')}\n`;
}

function requirementLines(requirements: SpecRequirementEntry[]): string[] {
  const lines = ['### Requirements', ''];
  for (const req of requirements) {
    lines.push(`#### ${req.id}: ${oneLine(req.title)}`);
    if (req.story) lines.push(`**User story:** ${oneLine(req.story)}`);
    lines.push('**Acceptance criteria**');
    req.criteria.forEach((criterion, index) => {
      const entry = typeof criterion === 'string' ? { text: criterion } : criterion;
      lines.push(`- ${entry.id ?? `${req.id}.${index + 1}`}: ${oneLine(entry.text)}`);
    });
    lines.push('');
  }
  return lines;
}

function contractLines(contracts: SpecContractEntry[]): string[] {
  const lines = ['### API Contracts', ''];
  for (const contract of contracts) {
    lines.push(
      `#### ${oneLine(contract.endpoint)}`,
      `- Success: ${oneLine(contract.success)}`,
      ...contract.failures.map((f) => `- ${oneLine(f)}`),
      '',
    );
  }
  return lines;
}

/** `database` → `Database`, the heading tasksByLayer looks for (case-insensitively). */
export function layerHeading(layer: string): string {
  return layer.charAt(0).toUpperCase() + layer.slice(1);
}

function checkbox(done: boolean | undefined): string {
  return done ? '[x]' : '[ ]';
}

/** A newline inside a list item would end it and break the checklist. */
function oneLine(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' ').trim();
}
