/**
 * `orchestrator init` / Initialize Workspace: a census (verified unless told not to) becomes
 * `.claude/orchestrator.yaml`, a context file per layer and the shipped templates of the other
 * agents. An existing config is never overwritten: the proposal and its diff are returned;
 * `force` replaces it and keeps the old one as `.bak`. The config's JSON Schema, which its first
 * line names, is written beside it either way. Nothing outside `.claude/` and `.gitignore` is written.
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { CONFIG_FILE, CONTEXT_DIR, readOptionalText, writeFileAtomic } from '../../project/sources';
import { proposeWorkspace, WORKSPACE_FILE, WORKSPACE_SCHEMA_FILE, workspaceSchemaText } from '../../project/changeSet';
import {
  CONFIG_SCHEMA_FILE,
  copyTemplates,
  type GitignoreChange,
  ignoreRunJournals,
  loadConfigText,
} from '../../project/config';
import { applyEdits } from './applyEdits';
import { takeCensus } from '../census';
import { censusDocument } from './configDocument';
import { layerContext } from './contextFiles';
import { configSchemaText, formatOwnFiles, ownFilesForVerification } from './ownFilesAtInit';
import type { AcceptedLayer, Census, CensusInputs } from '../types';
import { verifyCensus, type VerifyOptions } from '../verify/verify';

export interface InitOptions {
  force?: boolean;
  /** Run each proposed command once (default true; `--no-verify` turns it off). */
  verify?: boolean;
  trusted: boolean;
  templatesDir?: string;
  /** A proposal already taken (Initialize Workspace); else a census is taken now. */
  census?: Census;
  /** The layers as the user edited them in Initialize Workspace. */
  edits?: AcceptedLayer[];
  inputs?: CensusInputs;
  timeoutSec?: number;
  /**
   * Seconds from init's start after which verification stops (`--verify-budget`; absent, the default: every
   * command gets its verdict): what it cut is kept unverified, never dropped (verifyBudget.ts).
   */
  budgetSec?: number;
  /** The user's stop (Ctrl-C, Cancel): what is verified stays verified, the rest is kept unverified. */
  signal?: AbortSignal;
  /** The proposal as the census made it, before any command runs (hosts show it at once: issue 70). */
  onProposal?: (census: Census) => void;
  onProgress?: VerifyOptions['onProgress'];
  onStart?: VerifyOptions['onStart'];
}

export interface InitReport {
  census: Census;
  /** The config text proposed (written unless an existing config was kept). */
  proposal: string;
  config: 'created' | 'replaced' | 'kept';
  /** Unified diff from the existing config to the proposal, when one existed. */
  diff?: string;
  backup?: string;
  /** Workspace-relative files written. */
  created: string[];
  /** Files that already existed and were left alone. */
  kept: string[];
  gitignore: GitignoreChange;
  /** Files written as the project's own Prettier writes them (issue 70). */
  formatted?: string[];
}

/** Default layer names of the shipped templates: their context files only come along when the census made such a layer. */
const TEMPLATE_LAYERS = ['database', 'backend', 'frontend'];

export async function initFromCensus(workspace: string, options: InitOptions): Promise<InitReport> {
  const started = Date.now();
  const taken = options.census ?? (await takeCensus(workspace, options.inputs));
  const census = options.edits ? applyEdits(taken, options.edits) : taken;
  options.onProposal?.(census);
  if (options.verify !== false && !census.layers.some((l) => l.verified)) {
    // The budget counts from init's start: its census and throwaway worktree spend it too.
    await verifyCensus(workspace, census, {
      trusted: options.trusted,
      since: started,
      ...(options.budgetSec !== undefined ? { budgetSec: options.budgetSec } : {}),
      ...(options.timeoutSec !== undefined ? { timeoutSec: options.timeoutSec } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.onStart ? { onStart: options.onStart } : {}),
      ownFiles: ownFilesForVerification(census, options.templatesDir),
    });
  }
  const proposal = censusDocument(census).toString({ lineWidth: 0 });
  // The text must load as it is before anything is written (an edited layer may claim .claude/).
  await loadConfigText(workspace, proposal);
  const configPath = join(workspace, CONFIG_FILE);
  const existing = await readOptionalText(configPath);
  const report: InitReport = { census, proposal, config: 'created', created: [], kept: [], gitignore: 'unchanged' };
  await writeSchema(workspace, CONFIG_SCHEMA_FILE, configSchemaText(), report);
  if (existing !== undefined) {
    report.diff = createTwoFilesPatch(CONFIG_FILE, `${CONFIG_FILE} (proposed)`, existing, proposal, '', '', {
      context: 2,
    });
    if (!options.force) {
      report.config = 'kept';
      report.kept.push(CONFIG_FILE);
      await formatWritten(workspace, report, options);
      return report;
    }
    report.backup = `${CONFIG_FILE}.bak`;
    await copyFile(configPath, join(workspace, report.backup));
    report.config = 'replaced';
  }
  await writeFileAtomic(configPath, proposal);
  report.created.push(CONFIG_FILE);
  await mkdir(join(workspace, CONTEXT_DIR), { recursive: true });
  for (const layer of census.layers) {
    const path = `${CONTEXT_DIR}/${layer.name}.context.md`;
    try {
      await writeFile(join(workspace, path), layerContext(layer), { flag: 'wx' });
      report.created.push(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      report.kept.push(path);
    }
  }
  if (options.templatesDir) {
    const layerNames = new Set(census.layers.map((l) => l.name));
    const copied = await copyTemplates(
      workspace,
      options.templatesDir,
      (file) =>
        file === 'orchestrator.yaml' ||
        // With no census layers the default ones apply, and their template instructions with them.
        (census.layers.length > 0 &&
          TEMPLATE_LAYERS.some((name) => file === `context/${name}.context.md` && !layerNames.has(name))) ||
        census.layers.some((l) => file === `context/${l.name}.context.md`),
    );
    report.created.push(...copied.created);
    report.kept.push(...copied.skipped);
  }
  report.gitignore = await ignoreRunJournals(workspace);
  await proposeChangeSet(workspace, report);
  await formatWritten(workspace, report, options);
  return report;
}

/** A parent folder of repositories, no repository itself: the workspace file proposed beside the config (issue 73), never over one. */
async function proposeChangeSet(workspace: string, report: InitReport): Promise<void> {
  const proposal = proposeWorkspace(workspace);
  if (!proposal) return;
  await writeSchema(workspace, WORKSPACE_SCHEMA_FILE, workspaceSchemaText(), report);
  try {
    await writeFile(join(workspace, WORKSPACE_FILE), `${proposal.text}\n`, { flag: 'wx' });
    report.created.push(WORKSPACE_FILE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    report.kept.push(WORKSPACE_FILE);
  }
}

/** The files init wrote, as the project's Prettier writes them (a workspace it trusts): its checks read them too. */
async function formatWritten(workspace: string, report: InitReport, options: InitOptions): Promise<void> {
  if (!options.trusted) return;
  const { formatted, error } = await formatOwnFiles(workspace, report.created, {
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (formatted.length > 0) report.formatted = formatted;
  if (error) report.census.warnings.push(`${error}: Orchestrator's files were left as written`);
}

/**
 * A schema a file's first line names, rewritten whenever it differs, its file kept or not: it is
 * this version's, never edited by hand. As written, or as the project's Prettier wrote it: the same
 * schema either way.
 */
async function writeSchema(workspace: string, file: string, schema: string, report: InitReport): Promise<void> {
  const written = await readOptionalText(join(workspace, file));
  if (written !== undefined && sameJson(written, schema)) report.kept.push(file);
  else {
    await writeFileAtomic(join(workspace, file), schema);
    report.created.push(file);
  }
}

function sameJson(a: string, b: string): boolean {
  try {
    return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b));
  } catch {
    return false;
  }
}
