// The commands that merge branches in order: a change-set's (issue 73) and our merge queue (issue 74), spread into
// the command table (commandTable.ts), which types them.
export const MERGE_COMMANDS = {
  publish: {
    arg: 'required' as const,
    argName: '<set>',
    about:
      'A change-set (docs/changesets.md): the branch <set> of each member of .claude/workspace.yaml holding it pushed to its origin, one pull request each (members naming github: with GITHUB_TOKEN set) whose body lists the others, their status and the merge order, and every member checked on the combined heads at that branch: the commit status orchestrator/change-set on each head is success only when every member passed, else failure naming the member and its failing test (exit 1).',
    forms: [{ words: '<set>', options: ['--json'], example: ['publish', 'rename'] }],
  },
  merge: {
    arg: 'required' as const,
    argName: '<set>',
    about:
      'A change-set published (as publish) then merged producers first (docs/changesets.md): each member only when the set is green and none is held (a conflict, a required review, a red or pending check of its own): one that is holds the rest, named (exit 1). A member on GitHub merges through its pull request, else its branch is merged into its origin’s default branch by git. Journaled in the first member’s .git folder: a merge killed between two members is resumed by the next merge <set>; one that cannot finish proposes the revert of what merged.',
    forms: [{ words: '<set>', options: ['--json'], example: ['merge', 'rename'] }],
  },
  queue: {
    arg: 'optional' as const,
    argName: '<branch>…',
    about:
      "Merge approved runs' branches on main in batches: each batch's proofs run once; a red batch is bisected to the branch that broke it, set aside, and the others merge (docs/merge-queue.md).",
    forms: [
      { words: '<branch>…', options: ['--onto'], example: ['queue', 'run/a', 'run/b'] },
      { options: ['!--pool', '--onto'], example: ['queue', '--pool'] },
    ],
    help: {
      '--pool':
        "the result branches of the pool's completed runs (docs/pool.md), in the order they completed, fetched from the team's remote",
    },
  },
};
