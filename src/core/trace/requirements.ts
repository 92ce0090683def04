/**
 * A spec's requirements (seed 000, docs/traceability.md): ids (`REQ-1`, `FR-001`, `US-2`…),
 * acceptance criteria in EARS form (`WHEN … THE … SHALL …`) with ids of their own (`REQ-1.2`),
 * the API contracts (success and failure: 4xx, 5xx, timeouts) and the endpoints the spec
 * names. Tolerant of how a model writes markdown: requirement headings or bold list items,
 * criteria as list items with or without their own id, any heading level; a spec without a
 * Requirements section (written before traceability) simply has none.
 */
import { fenceTracker, stripFrontMatter } from '../project/specs';

export interface Criterion {
  id: string;
  text: string;
  /** 1-based line in the markdown given (front matter included). */
  line: number;
}

export interface Requirement {
  id: string;
  title: string;
  line: number;
  story?: string;
  criteria: Criterion[];
}

export interface ApiContract {
  /** `POST /api/products` as written. */
  endpoint: string;
  line: number;
  text: string;
}

export interface NamedEndpoint {
  endpoint: string;
  line: number;
}

export interface SpecRequirements {
  requirements: Requirement[];
  contracts: ApiContract[];
  /** Endpoints named in requirements and tasks (outside the contracts), first mention of each. */
  endpoints: NamedEndpoint[];
}

/** An id at the start of a heading or item: `REQ-1`, `FR-001`, `FR-005a`, `US-3` (letters, a dash, digits), or a criterion's `REQ-1.2`. */
const ID_AT_START =
  /^\s*(?:\*\*|`)?([A-Z][A-Z0-9]{0,9}-\d+[a-z]?(?:\.\d+[a-z]?)*)(?:\*\*|`)?\s*(?:[:.)\]–—-]\s*|\s+)(.*)$/;
const KIRO_REQUIREMENT = /^requirement\s+(\d+)\b[\s:.–—-]*(.*)$/i;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const BOLD_HEADING = /^\s*\*\*([^*]+?)\*\*\s*:?\s*$/;
const LIST_ITEM = /^(\s*)(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s*)?(.*)$/;
const REQUIREMENTS_HEADING =
  /^(?:functional\s+|non-functional\s+)?(?:requirements?|requisitos?|requerimientos?)(?:\s+(?:funcionales|funcionais))?\s*(?:[*_]*\(.*\)[*_]*)?$/i;
const CONTRACTS_HEADING = /\b(?:contracts?|contratos?)\b/i;
const CRITERIA_HEADING = /accept|criteri|crit[eé]rios?|aceita|acepta/i;
const STORY =
  /^\**\s*(?:user\s+story|hist[oó]ria(?:\s+de\s+usu[aá]rio)?|historia(?:\s+de\s+usuario)?)\s*:?\**\s*:?\s*/i;
const ENDPOINT = /\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(\/[^\s`'"),;]*)/g;

export function parseRequirements(markdown: string): SpecRequirements {
  const { body, offset } = stripFrontMatter(markdown);
  const result: SpecRequirements = { requirements: [], contracts: [], endpoints: [] };
  let section: { kind: 'requirements' | 'contracts'; level: number } | undefined;
  let requirement: { req: Requirement; level: number; listIndent?: number } | undefined;
  let criteriaOnly = false;
  let contract: { contract: ApiContract; level: number; fromHeading: boolean } | undefined;
  const fenced = fenceTracker();
  const named = new Map<string, NamedEndpoint>();

  body.split('\n').forEach((raw, index) => {
    const line = offset + index + 1;
    if (fenced(raw)) {
      if (contract) contract.contract.text += `\n${raw}`;
      return;
    }
    const heading = parseHeading(raw);
    if (heading) {
      // `### REQ-1` right under `### Requirements` (same level) still belongs to the section.
      const req =
        section?.kind === 'requirements' && heading.level >= section.level
          ? requirementHeading(
              heading.text,
              line,
              requirement && heading.level > requirement.level ? requirement.req.id : undefined,
            )
          : undefined;
      if (contract && heading.level <= contract.level) contract = undefined;
      if (requirement && heading.level <= requirement.level) requirement = undefined;
      if (section && heading.level <= section.level && !req) section = undefined;
      if (req) {
        result.requirements.push(req);
        requirement = { req, level: heading.level };
        criteriaOnly = false;
        return;
      }
      if (REQUIREMENTS_HEADING.test(heading.text)) {
        section = { kind: 'requirements', level: heading.level };
        requirement = undefined;
        return;
      }
      if (CONTRACTS_HEADING.test(heading.text) && !endpointsIn(heading.text).length) {
        section = { kind: 'contracts', level: heading.level };
        requirement = undefined;
        return;
      }
      if (requirement) criteriaOnly = !CRITERIA_HEADING.test(heading.text) && heading.level > requirement.level;
      const endpoint = section?.kind === 'contracts' ? endpointsIn(heading.text)[0] : undefined;
      if (endpoint) {
        contract = { contract: { endpoint, line, text: heading.text }, level: heading.level, fromHeading: true };
        result.contracts.push(contract.contract);
      }
      return;
    }
    if (section?.kind === 'contracts') {
      const endpoint = endpointsIn(raw)[0];
      const item = LIST_ITEM.exec(raw);
      // Under a heading per endpoint, everything is that endpoint's; else a top-level item naming one starts it.
      if (endpoint && item && (item[1] ?? '').length === 0 && !contract?.fromHeading) {
        contract = { contract: { endpoint, line, text: raw.trim() }, level: 8, fromHeading: false };
        result.contracts.push(contract.contract);
      } else if (contract) contract.contract.text += `\n${raw}`;
      return;
    }
    if (section?.kind !== 'requirements') {
      noteEndpoints(raw, line, named);
      return;
    }
    noteEndpoints(raw, line, named);
    const item = LIST_ITEM.exec(raw);
    if (!item) {
      const story = STORY.exec(raw.trim());
      if (story && requirement) requirement.req.story = raw.trim().slice(story[0].length).trim();
      return;
    }
    const indent = (item[1] ?? '').length;
    const text = (item[2] ?? '').trim();
    if (!text) return;
    // A requirement written as a list item (`- **REQ-1**: …`) directly under the section.
    const listed =
      !requirement || (requirement.listIndent !== undefined && indent <= requirement.listIndent)
        ? listRequirement(text, line)
        : undefined;
    if (listed) {
      result.requirements.push(listed);
      requirement = { req: listed, level: 9, listIndent: indent };
      criteriaOnly = false;
      return;
    }
    if (!requirement || criteriaOnly) return;
    if (STORY.test(text)) {
      requirement.req.story = text.replace(STORY, '').trim();
      return;
    }
    requirement.req.criteria.push(criterion(requirement.req, text, line));
  });
  result.endpoints = [...named.values()];
  return result;
}

/**
 * The requirement ids a piece of text cites (a task, a test file): a requirement's own id
 * or one of its criteria's (`REQ-1.2` cites REQ-1), in order of first mention.
 */
export function citedRequirements(text: string, requirements: readonly Requirement[]): string[] {
  const cited: string[] = [];
  for (const req of requirements) {
    const ids = [req.id, ...req.criteria.map((c) => c.id)];
    if (ids.some((id) => mentionsId(text, id))) cited.push(req.id);
  }
  return cited;
}

/** The criteria a piece of text cites by id. */
export function citedCriteria(text: string, requirements: readonly Requirement[]): string[] {
  return requirements.flatMap((r) => r.criteria.map((c) => c.id)).filter((id) => mentionsId(text, id));
}

/** `REQ-1` in text, not as part of `REQ-10` or `REQ-1.2` (but `REQ-1.` ending a sentence counts). */
export function mentionsId(text: string, id: string): boolean {
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_.-])${escaped}(?![0-9]|\\.[0-9]|[A-Za-z_-])`).test(text);
}

/** EARS: every requirement pattern has THE … SHALL (WHEN/WHILE/IF/WHERE are optional triggers). */
export function isEars(text: string): boolean {
  return /\bSHALL\b/i.test(text);
}

/** `POST /api/products/{id}` → `POST /api/products/{}`: path parameters in any notation compare equal. */
export function endpointKey(endpoint: string): string {
  const [method = '', path = ''] = endpoint.trim().split(/\s+/, 2);
  const normalized = path
    .replace(/\/:[A-Za-z_]\w*|\/\{[^}]*\}|\/<[^>]*>|\/\[[^\]]*\]/g, '/{}')
    .replace(/[.?]+$/, '')
    .replace(/(.)\/$/, '$1');
  return `${method.toUpperCase()} ${normalized}`;
}

export function endpointsIn(text: string): string[] {
  return [...text.replace(/`/g, ' ').matchAll(ENDPOINT)].map((m) => `${m[1]} ${m[2]!.replace(/[.:]+$/, '')}`);
}

function noteEndpoints(raw: string, line: number, named: Map<string, NamedEndpoint>): void {
  for (const endpoint of endpointsIn(raw)) {
    const key = endpointKey(endpoint);
    if (!named.has(key)) named.set(key, { endpoint, line });
  }
}

/** A requirement's heading; a dotted id (`US-1.5`) too, unless it is a criterion under its requirement's heading (`##### REQ-1.2` under `#### REQ-1`). */
function requirementHeading(text: string, line: number, enclosing: string | undefined): Requirement | undefined {
  const own = ID_AT_START.exec(text);
  if (own?.[1] && !(enclosing !== undefined && own[1].startsWith(`${enclosing}.`)))
    return { id: own[1], title: clean(own[2] ?? ''), line, criteria: [] };
  const kiro = KIRO_REQUIREMENT.exec(text);
  if (kiro?.[1]) return { id: `REQ-${kiro[1]}`, title: clean(kiro[2] ?? ''), line, criteria: [] };
  return undefined;
}

function listRequirement(text: string, line: number): Requirement | undefined {
  const own = ID_AT_START.exec(text);
  if (!own?.[1] || own[1].includes('.')) return undefined;
  return { id: own[1], title: clean(own[2] ?? ''), line, criteria: [] };
}

function criterion(req: Requirement, text: string, line: number): Criterion {
  const own = ID_AT_START.exec(text);
  if (own?.[1] && own[1].includes('.')) return { id: own[1], text: clean(own[2] ?? ''), line };
  // `AC-1:` / `1.` / `AC1.2:` prefixes give no usable id: number the criterion within its requirement.
  const stripped = text.replace(/^(?:\*\*)?(?:AC[-\s]?[\d.]+|\d+(?:\.\d+)?)(?:\*\*)?\s*[:.)–—-]\s*/i, '');
  return { id: `${req.id}.${req.criteria.length + 1}`, text: clean(stripped), line };
}

function parseHeading(line: string): { level: number; text: string } | undefined {
  const real = HEADING.exec(line);
  if (real) return { level: (real[1] ?? '').length, text: clean(real[2] ?? '') };
  const bold = BOLD_HEADING.exec(line);
  if (bold) return { level: 7, text: clean(bold[1] ?? '') };
  return undefined;
}

function clean(text: string): string {
  return text
    .replace(/\*\*|__|`/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
