/**
 * Where an imported task that names no file goes, decided once at import and written into its
 * line for the human to see at the approval gate (issue 37). In order: the layer its wording
 * names; a process task (a checkpoint, a manual validation, documentation) goes to the layer
 * owning what it touches or is recorded as not implementable, with the reason; a name it uses
 * that the repository, the folder's tasks or the design define (nameIndex.ts) goes to the layer
 * owning its file; a Kiro sub-task goes where its siblings and its parent write, unless its
 * words point to another layer; then
 * the design's or plan's files and words, and the role its words point to (layerGuess.ts).
 * What is left is proposed by the model at approval (layerProposal.ts), else picked by the human.
 */
import { layerOwning, type OrchestratorConfig } from '../project/config';
import { namedPaths } from '../project/specs';
import type { ForeignSpec, ForeignTask } from './foreignSpec';
import { guessLayer, namedLayer, roleLayer } from './layerGuess';
import type { LayerRole } from './layerRoles';
import { namesLayer, type NameIndex } from './nameIndex';

export type Placement = { layer: string; from: string } | { notImplementable: string };

/** What import knows beyond the folder: each layer's role (the census) and the names the repository defines. */
export interface PlacementHints {
  roles: ReadonlyMap<string, LayerRole>;
  names: NameIndex;
}

// "Checkpoint - Ensure all tests pass, ask the user if questions arise", "Final checkpoint".
const CHECKPOINT =
  /^(?:final\s+)?checkpoint\b|^(?:ensure|make sure|verify|confirm)\s+(?:that\s+)?all\s+(?:the\s+)?tests\s+(?:pass|are green)|^punto\s+de\s+control\b|^检查点|^チェックポイント/iu;
// "Run quickstart.md validation", "Perform manual smoke tests", "Execute the walkthrough".
const MANUAL =
  /^(?:run|execute|perform|do)\b.*\b(?:quickstart(?:\.md)?|validation|smoke[\s-]tests?|manual\s+(?:tests?|testing|checks?)|walkthrough)\b/i;
// "Update the README", "T081 Update documentation", "Write the release notes".
const DOCS =
  /^(?:update|write|add|create|document|review|refresh|polish)\b.*\b(?:readme|documentation|docs|changelog|release\s+notes|user\s+guide)\b/i;
const DOC_FILES = ['README.md', 'docs/README.md', 'docs/index.md', 'CHANGELOG.md'];

export function placeTask(
  task: ForeignTask,
  foreign: ForeignSpec,
  config: OrchestratorConfig,
  hints: PlacementHints,
): Placement | undefined {
  const text = taskText(task);
  const named = namedLayer(text, config);
  if (named) return named;
  const process = processPlacement(text, config);
  if (process) return process;
  // A name the repository, the folder's tasks or the design define (`OrderStateMachine`, `/api/trips`) says where it lives.
  const byName = namesLayer(text, hints.names);
  if (byName) return byName;
  const siblings = siblingLayer(task, foreign.tasks, config);
  if (siblings) {
    const byRole = roleLayer(text, config, hints.roles);
    if (byRole && !siblings.layers.includes(byRole.layer)) return byRole;
    return { layer: siblings.layer, from: `its sibling tasks: ${siblings.refs.join(', ')}` };
  }
  return guessLayer(text, foreign.design, config, hints.roles);
}

/** A task that is process, not code: the layer owning what it touches, or not implementable and why. */
function processPlacement(text: string, config: OrchestratorConfig): Placement | undefined {
  const title = text.replace(/^\W+/u, '');
  if (CHECKPOINT.test(title))
    return { notImplementable: "a checkpoint, not code: every layer's checks and the review run in the run itself" };
  if (MANUAL.test(title))
    return {
      notImplementable:
        "a manual validation, not code: the run's checks and review stand for it; do it by hand after the run",
    };
  if (DOCS.test(title)) {
    const owners = [
      ...new Set(DOC_FILES.map((file) => layerOwning(config, file)).filter((l): l is string => l !== undefined)),
    ];
    if (owners.length === 1)
      return { layer: owners[0]!, from: `the task's wording: documentation, which ${owners[0]} owns` };
    return {
      notImplementable: `documentation no layer owns (${DOC_FILES.slice(0, 2).join(', ')}): no agent may write it; update it by hand`,
    };
  }
  return undefined;
}

/**
 * A Kiro sub-task's siblings and parent: the one layer owning every file they name, else (files
 * of several layers) the layer of the nearest sibling above naming one — a test sub-task follows
 * what it tests.
 */
function siblingLayer(
  task: ForeignTask,
  tasks: readonly ForeignTask[],
  config: OrchestratorConfig,
): { layer: string; layers: string[]; refs: string[] } | undefined {
  if (!task.parent) return undefined;
  const layersOf = (t: ForeignTask) => [
    ...new Set(
      namedPaths(taskText(t))
        .map((path) => layerOwning(config, path))
        .filter((l): l is string => l !== undefined),
    ),
  ];
  const family = tasks
    .filter((t) => t !== task && (t.parent === task.parent || t.ref === task.parent))
    .map((t) => ({ t, layers: layersOf(t) }))
    .filter((f) => f.layers.length > 0);
  const layers = [...new Set(family.flatMap((f) => f.layers))];
  if (layers.length === 1) return { layer: layers[0]!, layers, refs: family.map((f) => f.t.ref) };
  const index = tasks.indexOf(task);
  const above = family
    .filter((f) => f.t.parent === task.parent && tasks.indexOf(f.t) < index && f.layers.length === 1)
    .at(-1);
  return above ? { layer: above.layers[0]!, layers, refs: [above.t.ref] } : undefined;
}

export function taskText(task: ForeignTask): string {
  return [task.text, ...(task.details ?? [])].join('; ');
}
