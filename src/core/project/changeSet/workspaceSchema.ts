/**
 * `.claude/workspace.yaml` (issue 73): the repositories one spec may change together and who uses whom.
 * Each member keeps its own `.claude/orchestrator.yaml`; this file only names the members and the edges
 * between them, producer to consumer, each with how the consumer takes the producer's change (`via`).
 */
import * as z from 'zod/mini';
import { about } from '../config';

/** How a consumer uses a producer, so its checks can run against the producer's changed head. */
export const LINK_KINDS = ['npm', 'openapi', 'proto', 'go', 'pip', 'command'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

/** What each kind needs written beside it. */
const NEEDS: Record<LinkKind, readonly ('package' | 'schema' | 'generate' | 'link')[]> = {
  npm: ['package'],
  go: ['package'],
  pip: ['package'],
  openapi: ['schema', 'generate'],
  proto: ['schema', 'generate'],
  command: ['link'],
};

// No `i` flag: the JSON Schema (workspaceJsonSchema.ts) carries a pattern, not its flags.
const MEMBER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const text = z.string().check(z.minLength(1));

const repositorySchema = z.strictObject({
  path: about(
    z.optional(z.string().check(z.minLength(1))),
    'The member on this machine: a folder relative to the folder holding .claude/ (`../sdk`, `web`).',
  ),
  github: about(
    z.optional(z.string().check(z.regex(/^[\w.-]+\/[\w.-]+$/, 'owner/name'))),
    'The member on GitHub, `owner/name`: where its pull request goes.',
  ),
});

const useSchema = z.strictObject({
  consumer: about(z.string(), 'The member that uses the other (named under repositories).'),
  producer: about(z.string(), 'The member it uses: its change is made and proven first.'),
  via: about(
    z.enum(LINK_KINDS),
    "npm: a package dependency; openapi/proto: a client generated from the producer's schema; go: a module (a `replace`); pip: an editable install; command: a link step of yours.",
  ),
  package: about(
    z.optional(text),
    'npm, go, pip: the producer’s package or module name as the consumer depends on it.',
  ),
  schema: about(
    z.optional(text),
    "openapi, proto: the producer's schema file, relative to the producer (`openapi.yaml`).",
  ),
  generate: about(
    z.optional(text),
    "openapi, proto: the consumer's command that regenerates its client; `{schema}` is the producer's changed schema.",
  ),
  link: about(
    z.optional(text),
    "command: the consumer's command that takes the producer's change; `{producer}` is the producer's changed work tree.",
  ),
});

export const workspaceSchema = z
  .strictObject({
    version: about(z.literal(1), 'The workspace file format.'),
    repositories: about(
      z.record(z.string().check(z.regex(MEMBER_NAME, 'a name of letters, digits, `.`, `_` and `-`')), repositorySchema),
      'The members, by name: where each is on this machine and on GitHub.',
    ),
    uses: about(z._default(z.array(useSchema), []), 'Who uses whom, producer to consumer.'),
  })
  .check(
    z.superRefine((file, ctx) => {
      const names = Object.keys(file.repositories);
      if (names.length < 2)
        ctx.addIssue({ code: 'custom', path: ['repositories'], message: 'a workspace names two repositories or more' });
      for (const [name, member] of Object.entries(file.repositories))
        if (!member.path && !member.github)
          ctx.addIssue({
            code: 'custom',
            path: ['repositories', name],
            message: `${name} needs a path (on this machine) or github (owner/name)`,
          });
      file.uses.forEach((use, i) => {
        for (const side of ['consumer', 'producer'] as const)
          if (!Object.hasOwn(file.repositories, use[side]))
            ctx.addIssue({
              code: 'custom',
              path: ['uses', i, side],
              message: `${use[side]} is not under repositories (${names.join(', ')})`,
            });
        if (use.consumer === use.producer)
          ctx.addIssue({ code: 'custom', path: ['uses', i, 'producer'], message: 'a member does not use itself' });
        for (const field of NEEDS[use.via])
          if (use[field] === undefined)
            ctx.addIssue({ code: 'custom', path: ['uses', i], message: `via: ${use.via} needs ${field}` });
      });
    }),
  );

export type WorkspaceFile = z.infer<typeof workspaceSchema>;
export type MemberUse = WorkspaceFile['uses'][number];
