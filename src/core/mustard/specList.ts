import type { SpecInfo } from '../api';
import { listMustardSpecFolders } from './specFolder';

/** Mustard's spec folders as `specs` and the sidebar list them: the folder is the id `approve` takes. */
export async function listMustardSpecs(workspace: string): Promise<SpecInfo[]> {
  const folders = await listMustardSpecFolders(workspace);
  return folders.map((f) => ({
    id: f.dir,
    title: f.title,
    kind: 'feature' as const,
    status: `Mustard ${f.stage ?? 'no stage'} · ${f.outcome ?? 'no outcome'}`,
    path: f.shownFile ?? f.dir,
    created: f.modified,
    mustard: {
      ...(f.stage ? { stage: f.stage } : {}),
      ...(f.outcome ? { outcome: f.outcome } : {}),
      waves: f.waves.length,
      completedWaves: f.waves.filter((w) => w.done).length,
      approvedByUser: f.approvedByUser,
      ...(f.refusal ? { refusal: f.refusal } : {}),
    },
  }));
}
