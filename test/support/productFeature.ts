/**
 * The spec of "Add a Product entity" on examples/shop, as the scripted spec agent submits
 * it: shared by the pipeline tests (test/support/engine/fixtures.ts) and the
 * benchmarks' product feature (bench/support/productFeature.ts).
 */
// The demo's spec (`orchestrator demo` ships it): one text for the demo, the tests and the bench.
export { DEMO_SPEC as PRODUCT_SPEC } from '../../src/core/llm/demo/demoFeature';
// Its proof (docs/proof.md), as the demo's proof agent writes it: REQ-1's tests before the code, REQ-2.1 untestable.
export {
  DEMO_PROOF as PRODUCT_PROOF,
  DEMO_PROOF_FILE as PRODUCT_PROOF_FILE,
  DEMO_PROOF_TEST as PRODUCT_PROOF_TEST,
} from '../../src/core/llm/demo/demoFeature';
