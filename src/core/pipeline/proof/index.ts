/**
 * Proof per criterion's door (docs/proof.md): PROVE before the code, the frozen tests' GREEN run
 * in a layer's validation and after the last wave, STRENGTH after it, and what the review and the layers are told.
 */
export { layerProofCriteria, proveAll, proveLayer, type ProofFailure } from './proofGreen';
export { baseCopy, type BaseCopy } from './baseCopy';
export { frozenProofFiles, proofByLayer } from './proofChecked';
export { proofMode, type ProofMode } from './proofSettings';
export { proveAmended, provePhase, proveSkipReason, specCriteria } from './provePhase';
export { layerProofSection, reviewProofSection } from './proofSections';
export { markEquivalent, strengthAfterGreen, strengthGate } from './proofStrength';
