/**
 * Proof per criterion's door (docs/proof.md): PROVE before the code, the frozen tests' GREEN run
 * in a layer's validation, and the pure parts other rooms reuse (running given files, reading
 * each test's result from a runner's output).
 */
export { proveAll, proveLayer, type ProofFailure } from './proofGreen';
export { proofInvocations, type ProofInvocation, withFiles } from './proofCommand';
export { idPattern, outputOf, type ProofTestRef, runVerdicts, testVerdicts, type TestVerdict } from './proofOutcome';
export { proofMode, type ProofMode } from './proofSettings';
export { proveAmended, provePhase, proveSkipReason, specCriteria } from './provePhase';
export { layerProofSection, reviewProofSection } from './proofSections';
