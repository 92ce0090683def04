/**
 * What a run takes from Mustard's current generation of files, read once at run start:
 * `mustard.json` (the spec language), `.claude/grain.model.json` (the project map) and the
 * `CLAUDE.md` guards of the root and of every folder a layer or a grain project names.
 * Everything is optional and nothing here stops a run: what cannot be read is a warning.
 */
import type { OrchestratorConfig } from '../project/config';
import { globBase } from './folders';
import { readGrainModel, type GrainModel } from './grainModel';
import { readGuards, type FolderGuards } from './guards';
import { readMustardJson, type MustardJson } from './mustardJson';

export interface MustardProject {
  json?: MustardJson;
  grain?: GrainModel;
  guards: FolderGuards[];
  warnings: string[];
}

export async function loadMustardProject(workspace: string, config: OrchestratorConfig): Promise<MustardProject> {
  const [json, grain] = await Promise.all([readMustardJson(workspace), readGrainModel(workspace)]);
  const guards = await readGuards(workspace, guardFolders(config, grain.model));
  return {
    ...(json.config ? { json: json.config } : {}),
    ...(grain.model ? { grain: grain.model } : {}),
    guards,
    warnings: [...json.warnings, ...grain.warnings],
  };
}

/**
 * The folders whose CLAUDE.md may hold guards: each layer's owned folders (the fixed start of
 * its globs) and the folders between them and the root, and the grain model's projects. Only
 * these are looked at, so a large tree is never walked.
 */
function guardFolders(config: OrchestratorConfig, grain: GrainModel | undefined): Set<string> {
  const folders = new Set<string>();
  const addWithParents = (dir: string) => {
    const parts = dir.split('/').filter(Boolean);
    for (let i = 1; i <= parts.length; i++) folders.add(parts.slice(0, i).join('/'));
  };
  for (const layer of Object.values(config.layers)) for (const glob of layer.owns) addWithParents(globBase(glob));
  for (const project of grain?.projects ?? []) addWithParents(project.dir);
  return folders;
}
