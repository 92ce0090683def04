// The engine's tests run a second time against the OpenAI-compatible (Chat Completions) test
// server (`npm test`'s unit-openai tier, `npm run test:unit:openai`): the pipeline, the agents,
// the importers and the sinks, wherever they live by what they need.
export const OPENAI_SUITE = [
  'test/unit/pipeline',
  'test/integration/pipeline',
  'test/unit/agents',
  'test/unit/import',
  'test/integration/import',
  'test/unit/sinks',
  'test/integration/git/gitHardening.test.ts',
];
