/**
 * The proof tests' door (docs/proof.md): the commands that run given proof test files (one process
 * per command, or per file for a `{file}` command) and each test's result read from its runner's
 * output. Pure, below the census (which verifies a proposed command with them), PROVE and GREEN,
 * and verify.
 */
export { proofPackageFiles } from './proofPackages';
export { perFile, proofInvocations, type ProofInvocation, withFiles } from './proofCommand';
export {
  failingTests,
  idPattern,
  outputOf,
  type ProofTestRef,
  readTests,
  type TestReading,
  testVerdicts,
  type TestVerdict,
} from './testResults';
