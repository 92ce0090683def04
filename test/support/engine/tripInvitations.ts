// The Spec Kit folder specs/004-trip-invitations (test/fixtures/specs/speckit) as the placement
// tests run it, in the CLI, on GitHub, on the pool and in the sidebar: its tasks T020 and T021
// name no file, so the approval gate asks the model where they go.
import { copySpecFolder } from '../specFixtures';
import { say, writesThenDone, type AgentScript } from './agentScript';
import { PRODUCT_MIGRATION, PRODUCT_MODULE, PRODUCT_SCREEN } from './fixtures';

export const TRIPS = 'specs/004-trip-invitations';

/** The model's placement: T020 on the backend, T021 not implementable. */
export const TRIP_PLACEMENT = [
  { task: 'T020', layer: 'backend', reason: 'the invitation queries live in the server' },
  { task: 'T021', layer: 'not-implementable', reason: 'a newsletter to people, not code' },
];

/** Copies the folder into the shop at TRIPS; committed when the shop's `git` is given. */
export function addTrips(dir: string, git?: (...args: string[]) => unknown): void {
  copySpecFolder(dir, 'speckit/004-trip-invitations', TRIPS);
  git?.('add', '-A');
  git?.('commit', '-q', '-m', 'the trip invitations folder');
}

/** A run of the folder: the model places its tasks as `placement` says, each layer writes one file, the review approves. */
export function tripAgents(
  placement = TRIP_PLACEMENT,
): Record<'layers' | 'database' | 'backend' | 'frontend' | 'review', AgentScript> {
  return {
    layers: () => say.layers(placement),
    database: writesThenDone({ 'db/migrations/003_create_invitation.sql': PRODUCT_MIGRATION }),
    backend: writesThenDone({ 'server/entities/invitation.js': PRODUCT_MODULE }),
    frontend: writesThenDone({ 'web/src/tripList.js': PRODUCT_SCREEN }),
    review: () => say.approve(),
  };
}

/** The model finds no layer for either task; `why` is its reason for T020 (one naming a layer must still place nothing). */
export const placedNowhere = (why = 'nothing here tunes queries') => [
  { task: 'T020', layer: 'none', reason: why },
  { task: 'T021', layer: 'none', reason: 'no layer sends newsletters' },
];
