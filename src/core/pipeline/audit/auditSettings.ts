/**
 * What an audit is asked for, checked before any model call: the target must be a folder or
 * file inside the workspace, the dimension must have a template (the workspace's
 * `.claude/audit/{dimension}.md`, else the default shipped with the extension or the CLI), and
 * the numbers must make sense. Settings are fixed when the audit starts and journaled: a
 * resume uses the same target, template and limits (only the budget can be raised).
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { WorkspaceGuard } from '../../agents';
import { layerOwning, type OrchestratorConfig } from '../../project/config';
import { EngineUsageError } from '../../errors';
import type { AuditSettings } from '../../auditTypes';

/** Where dimension templates live, in the workspace and among the shipped templates. */
export const AUDIT_TEMPLATES_DIR = 'audit';
export const DEFAULT_DIMENSION = 'architecture';

export interface AuditRequest {
  /** Folder or file to audit: workspace-relative or absolute inside the workspace; '.' = all. */
  target: string;
  dimension?: string;
  /** The score to reach (default `audit.target`). */
  targetScore?: number;
  maxIterations?: number;
  maxBudgetUsd?: number;
}

const DIMENSION = /^[A-Za-z0-9][A-Za-z0-9_-]{0,60}$/;

export async function resolveAuditSettings(
  workspace: string,
  config: OrchestratorConfig,
  request: AuditRequest,
  templatesDir: string | undefined,
): Promise<AuditSettings> {
  const target = await resolveTarget(workspace, request.target);
  const names =
    request.dimension !== undefined
      ? [...new Set(request.dimension.split(',').map((d) => d.trim()))]
      : [await defaultDimension(workspace, config, target, templatesDir)];
  for (const name of names)
    if (!DIMENSION.test(name))
      throw new EngineUsageError(
        `invalid dimension "${name}": use letters, digits, "-" and "_" (several: comma-separated, e.g. backend,security,tests)`,
      );
  const dimension = names.join(',');
  const targetScore = request.targetScore ?? config.audit.target;
  const maxIterations = request.maxIterations ?? config.audit.maxIterations;
  const maxBudgetUsd = request.maxBudgetUsd ?? config.limits.maxBudgetUsd;
  if (!(targetScore >= 0 && targetScore <= 100))
    throw new EngineUsageError(`the target score must be between 0 and 100 (got ${targetScore})`);
  // 0: the baseline audit alone, nothing changed (the CI gate judges the pull request's own tree).
  if (!Number.isInteger(maxIterations) || maxIterations < 0)
    throw new EngineUsageError(`the iteration cap must be a whole number ≥ 0 (got ${maxIterations})`);
  if (!(maxBudgetUsd > 0)) throw new EngineUsageError(`the budget must be more than $0 (got ${maxBudgetUsd})`);
  return {
    target,
    dimension,
    targetScore,
    minAcceptableScore: config.audit.minAcceptableScore,
    maxIterations,
    maxBudgetUsd,
    template: await readTemplate(workspace, names[0]!, templatesDir),
    ...(names.length > 1
      ? {
          dimensions: await Promise.all(
            names.map(async (name) => ({ name, template: await readTemplate(workspace, name, templatesDir) })),
          ),
        }
      : {}),
  };
}

async function resolveTarget(workspace: string, raw: string): Promise<string> {
  const trimmed = raw.trim();
  const rel = isAbsolute(trimmed) ? relative(workspace, trimmed).split(sep).join('/') : trimmed.replace(/\\/g, '/');
  const cleaned = rel.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  if (cleaned === '' || cleaned === '.') return '.';
  const verdict = await (await WorkspaceGuard.create(workspace, [])).checkRead(cleaned);
  if (!verdict.ok)
    throw new EngineUsageError(`cannot audit ${JSON.stringify(raw)}: ${verdict.reason.replace(/^refused: /, '')}`);
  const info = await stat(verdict.abs).catch(() => undefined);
  if (!info) throw new EngineUsageError(`cannot audit ${JSON.stringify(raw)}: no such file or folder in the workspace`);
  if (!info.isDirectory() && !info.isFile())
    throw new EngineUsageError(`cannot audit ${JSON.stringify(raw)}: not a file or folder`);
  return verdict.rel;
}

/** The target's owning layer when a template is named after it (backend, frontend…), else architecture. */
async function defaultDimension(
  workspace: string,
  config: OrchestratorConfig,
  target: string,
  templatesDir: string | undefined,
): Promise<string> {
  const layer = target === '.' ? undefined : (layerOwning(config, `${target}/x`) ?? layerOwning(config, target));
  if (layer && (await availableDimensions(workspace, templatesDir)).includes(layer)) return layer;
  return DEFAULT_DIMENSION;
}

/** The dimensions with a template, in the workspace or shipped, sorted. */
export async function availableDimensions(workspace: string, templatesDir: string | undefined): Promise<string[]> {
  const names = new Set<string>();
  for (const dir of [
    join(workspace, '.claude', AUDIT_TEMPLATES_DIR),
    templatesDir ? join(templatesDir, AUDIT_TEMPLATES_DIR) : undefined,
  ]) {
    if (!dir) continue;
    for (const entry of await readdir(dir).catch(() => [] as string[])) {
      if (entry.endsWith('.md') && DIMENSION.test(entry.slice(0, -3))) names.add(entry.slice(0, -3));
    }
  }
  return [...names].sort();
}

/** What a host offers before an audit starts: the dimensions (with their templates' titles) and the config's defaults. */
export interface AuditChoices {
  dimensions: { name: string; title: string; path: string }[];
  targetScore: number;
  maxIterations: number;
  minAcceptableScore: number;
}

export async function auditChoices(
  workspace: string,
  config: OrchestratorConfig,
  templatesDir: string | undefined,
): Promise<AuditChoices> {
  const dimensions = await Promise.all(
    (await availableDimensions(workspace, templatesDir)).map(async (name) => {
      const template = await readTemplate(workspace, name, templatesDir);
      const heading = /^#\s+(.+)$/m.exec(template.text)?.[1] ?? name;
      return { name, title: heading.replace(/\s+[—-]\s+\{(TARGET|MODULE_PATH)\}\s*$/, '').trim(), path: template.path };
    }),
  );
  return {
    dimensions,
    targetScore: config.audit.target,
    maxIterations: config.audit.maxIterations,
    minAcceptableScore: config.audit.minAcceptableScore,
  };
}

async function readTemplate(
  workspace: string,
  dimension: string,
  templatesDir: string | undefined,
): Promise<AuditSettings['template']> {
  const own = `.claude/${AUDIT_TEMPLATES_DIR}/${dimension}.md`;
  const text = await readFile(join(workspace, own), 'utf8').catch(() => undefined);
  if (text !== undefined) return { path: own, text };
  if (templatesDir) {
    const shipped = await readFile(join(templatesDir, AUDIT_TEMPLATES_DIR, `${dimension}.md`), 'utf8').catch(
      () => undefined,
    );
    if (shipped !== undefined) return { path: `${own} (default)`, text: shipped };
  }
  const known = await availableDimensions(workspace, templatesDir);
  throw new EngineUsageError(
    `no template for the dimension "${dimension}": write ${own}${known.length ? `, or choose one of: ${known.join(', ')}` : ' (`orchestrator init` adds the defaults)'}`,
  );
}
