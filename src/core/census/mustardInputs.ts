/**
 * What Mustard's files add to the census: `mustard.json`'s commands as repository-wide
 * validate commands (placeholders and files that are not Mustard's are ignored with a
 * warning, by the reader), and `.claude/grain.model.json`'s `projects` as project folders —
 * without the repository root (`dir: ""`) and test fixtures nested in another project;
 * nested native crates (`apps/dashboard/src-tauri`) become their own layer, owned without
 * overlap like any nested project.
 */
import { GRAIN_MODEL_FILE, MUSTARD_JSON, readGrainModel, readMustardJson } from '../mustard';
import type { CensusInputs } from './types';

const FIXTURE = /(^|\/)(tests?|__tests__|spec)\/(.*\/)?fixtures?(\/|$)|(^|\/)(fixtures?|__fixtures__|testdata)(\/|$)/;

export async function mustardInputs(workspace: string): Promise<CensusInputs> {
  const [mustard, grain] = await Promise.all([readMustardJson(workspace), readGrainModel(workspace)]);
  const commands = mustard.config
    ? [
        mustard.config.typeCheckCommand,
        mustard.config.buildCommand,
        mustard.config.lintCommand,
        mustard.config.testCommand,
      ]
        .filter((c): c is string => c !== undefined)
        .map((command) => ({ command, cwd: '', origin: MUSTARD_JSON }))
    : [];
  const projects = (grain.model?.projects ?? [])
    .filter((p) => p.dir !== '' && !FIXTURE.test(p.dir))
    .map((p) => ({
      dir: p.dir,
      name: p.name,
      ...(p.kind ? { kind: p.kind } : {}),
      frameworks: p.frameworks,
      origin: GRAIN_MODEL_FILE,
    }));
  return { commands, projects, warnings: [...mustard.warnings, ...grain.warnings] };
}
