/**
 * The workflow picker's rows (workflowChoice.ts), apart from VS Code so they are unit-tested: a
 * bugfix's own pipeline first (its default), then every workflow of the listing; a broken file
 * says why instead of its phases.
 */
import type { WorkflowListing } from '../../core/engine';
import { parseGateText } from '../../shared/workflowView';

export const workflowTitle = (name: string | undefined): string =>
  name === undefined ? 'its own pipeline' : `workflow ${name}`;

export interface WorkflowItem {
  label: string;
  description: string;
  detail: string;
  /** The workflow it picks; undefined: the kind's own pipeline. */
  name: string | undefined;
  problem?: string;
}

export function workflowItems(
  kind: 'feature' | 'bugfix',
  listings: readonly Pick<WorkflowListing, 'name' | 'description' | 'phases' | 'problem' | 'origin'>[],
  current: string | undefined,
): WorkflowItem[] {
  const own: WorkflowItem[] =
    kind === 'bugfix'
      ? [
          {
            name: undefined,
            label: 'bugfix',
            description: current === undefined ? '(chosen) the bugfix pipeline' : 'the bugfix pipeline',
            detail: 'Diagnose, spec, fix, review, complete (default).',
          },
        ]
      : [];
  return [
    ...own,
    ...listings.map((listing): WorkflowItem => ({
      name: listing.name,
      label: `${listing.problem ? '$(error) ' : ''}${listing.name}`,
      description: [
        listing.name === current ? '(chosen)' : '',
        listing.origin === 'shipped' ? 'shipped' : 'this workspace',
        listing.problem ? '' : `${listing.phases.length} phases`,
      ]
        .filter(Boolean)
        .join(' · '),
      detail: listing.problem ?? listing.description ?? listing.phases.map((phase) => phase.name).join(' → '),
      ...(listing.problem ? { problem: listing.problem } : {}),
    })),
  ];
}

/**
 * The phases of a workflow whose gate checks `trace` (every requirement has a test; slice's F):
 * where `--allow-untested` would waive. A `uses: complete` phase's `trace` is the step's own check, not waivable.
 */
export function untestedGates(listing: Pick<WorkflowListing, 'phases'> | undefined): string[] {
  return (listing?.phases ?? [])
    .filter(
      (phase) => phase.uses !== 'complete' && (parseGateText(phase.gate).detail ?? '').split(/,\s*/).includes('trace'),
    )
    .map((phase) => phase.name);
}
