// The engine's tests run a second time against the OpenAI-compatible (Chat Completions) test
// server (`npm test`'s unit-openai tier, `npm run test:unit:openai`): the pipeline, the agents,
// the importers' runs that ask the model (a task's layer proposed by it), wherever they live by
// what they need. The foreign folders' readers and the event sinks ask the model nothing of their
// own: the pipeline's tests cover that part here, and the unit tier theirs once.
export const OPENAI_SUITE = [
  'test/unit/pipeline',
  'test/integration/pipeline',
  'test/unit/agents',
  'test/integration/import/taskPlacementProposal.test.ts',
  'test/integration/import/tasksWithoutFiles.test.ts',
  'test/integration/git/gitHardening.test.ts',
];
