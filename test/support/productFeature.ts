/**
 * The spec of "Add a Product entity" on examples/shop, as the scripted spec agent submits
 * it: shared by the pipeline tests (test/support/engine/fixtures.ts) and the
 * benchmarks' product feature (bench/support/productFeature.ts).
 */
// The demo's spec (`orchestrator demo` ships it): one text for the demo, the tests and the bench.
export { DEMO_SPEC as PRODUCT_SPEC } from '../../src/core/llm/demo/demoFeature';
