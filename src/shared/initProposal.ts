/**
 * Initialize Workspace in the sidebar: the census's proposal (a row per layer with its owns,
 * its commands and their verification results) and the edited layers the user accepts. A
 * leaf module of the one protocol (protocol.ts), bundled by both sides: no VS Code or Node.
 */
import * as z from 'zod/mini';

const text = (max: number) => z.string().check(z.maxLength(max));

export const proposedCommandSchema = z.object({
  command: text(2000),
  origin: text(500),
  // `running`: being verified now (issue 70: the proposal is shown before verification, each row as it goes).
  status: z.enum(['passed', 'failed', 'missing-tool', 'timed-out', 'skipped', 'not-verified', 'running']),
  /** "passed in 1.2 s", "cargo is not installed", the first error lines… */
  detail: text(4000),
});
export type ProposedCommandView = z.infer<typeof proposedCommandSchema>;

export const proposedLayerSchema = z.object({
  name: text(100),
  role: z.optional(text(40)),
  owns: z.array(text(1000)),
  after: z.array(text(100)),
  commands: z.array(proposedCommandSchema),
});
export type ProposedLayerView = z.infer<typeof proposedLayerSchema>;

/** A layer the census found no check for: what it read for it and what it could not read or use, shown first. */
export const remainderViewSchema = z.object({
  layer: text(100),
  /** Its folders, `the root` for ''. */
  dirs: text(1000),
  /** `read: …`, then `could not use …: why` per item. */
  lines: z.array(text(2000)),
});
export type RemainderView = z.infer<typeof remainderViewSchema>;

export const initProposalSchema = z.object({
  /**
   * `taking`: the census is running; `verifying`: its proposal is shown while its commands run once (Cancel keeps
   * what is verified, the rest unverified); `writing`: the accepted proposal is being written.
   */
  status: z.enum(['taking', 'verifying', 'ready', 'writing']),
  workspace: text(300),
  layers: z.array(proposedLayerSchema),
  schema: z.array(text(1000)),
  sourceFiles: z.number(),
  ownedFiles: z.number(),
  unowned: z.array(text(1000)),
  warnings: z.array(text(2000)),
  /** Layers with no check, above the rest of the proposal (docs/census.md, "An honest remainder"). */
  remainders: z.array(remainderViewSchema),
  /** The workspace has a config already: accepting replaces it (keeping a .bak). */
  configExists: z.boolean(),
});
export type InitProposalView = z.infer<typeof initProposalSchema>;

const layerName = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/), z.maxLength(100));
const line = z.string().check(z.trim(), z.minLength(1), z.maxLength(2000));

/** What the user accepts: the layers as edited (a dropped layer is simply absent). */
export const acceptedLayerSchema = z.object({
  /** The proposal's name of the layer (it may have been renamed). */
  from: layerName,
  name: layerName,
  owns: z.array(line).check(z.minLength(1), z.maxLength(200)),
  validate: z.array(line).check(z.maxLength(20)),
});
export type AcceptedLayer = z.infer<typeof acceptedLayerSchema>;

export const initAcceptSchema = z.object({
  type: z.literal('initAccept'),
  layers: z.array(acceptedLayerSchema).check(z.minLength(1), z.maxLength(100)),
});
export const initCancelSchema = z.object({ type: z.literal('initCancel') });
