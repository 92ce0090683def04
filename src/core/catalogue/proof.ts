/** Proof per criterion (docs/proof.md): the tests written before the code, red on the base, frozen, green after. */
import { nothing } from './meaning';
import { engineErrorLine } from '../text/proofWords';
import { clip, list, oneLine, type Entries } from './words';

const RED_WORDS = {
  failed: 'red on the base',
  passed: 'passes on the base (vacuous)',
  broken: 'cannot run (broken)',
  untestable: 'untestable',
} as const;

export const proofEntries = {
  'proof.started': {
    state: nothing,
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: `proof: ${e.round === 1 ? 'writing' : `round ${e.round}, rewriting`} tests for ${list(e.criteria)}`,
    }),
  },
  'proof.test': {
    state: nothing,
    words: (e) => ({
      level: e.red === 'failed' ? 'info' : 'warn',
      depth: 1,
      text: oneLine(
        `${e.red === 'failed' ? '✓' : e.red === 'untestable' ? '·' : '✗'} ${e.criterion} ${RED_WORDS[e.red]}${e.file ? `: ${e.file}` : ''}${e.untestable ? ` — ${e.untestable}` : ''}`,
      ),
      ...(e.output ? { detail: clip(e.output, 2000) } : {}),
    }),
  },
  'proof.sentBack': {
    state: nothing,
    words: (e) => ({
      level: 'warn',
      depth: 1,
      text: `↻ proof round ${e.round}: ${e.tests.map((t) => `${t.criterion} ${t.red === 'passed' ? 'vacuous' : 'broken'}`).join(', ')} sent back`,
    }),
  },
  'proof.frozen': {
    state: nothing,
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: `proof tests frozen: ${Object.keys(e.hashes).length} file(s)`,
      detail: Object.keys(e.hashes).join('\n'),
    }),
  },
  'proof.green': {
    state: nothing,
    words: (e) => ({
      level: e.green === 'passed' ? 'info' : 'warn',
      depth: 1,
      text: oneLine(
        `${e.green === 'passed' ? '✓' : '✗'} ${e.criterion} ${e.green === 'passed' ? 'proven' : 'proof test fails'}${e.layer ? ` (${e.layer})` : ''}: ${e.file}`,
      ),
      ...(e.output && e.green === 'failed' ? { detail: clip(e.output, 2000) } : {}),
    }),
  },
  'proof.strengthStarted': {
    state: nothing,
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: `strength: ${e.round === 0 ? 'mutating' : `round ${e.round}, mutating again`} the changed code of ${list(e.criteria)}`,
    }),
  },
  'proof.strength': {
    state: nothing,
    words: (e) => ({
      level: e.survived > 0 || e.error ? 'warn' : 'info',
      depth: 1,
      text: oneLine(
        e.error && e.killed + e.survived === 0
          ? `· ${e.criterion} strength not measured: ${engineErrorLine(e.error) ?? e.error}`
          : e.tried === 0
            ? `· ${e.criterion} strength: no mutants of its changed lines`
            : `${e.survived > 0 ? '✗' : '✓'} ${e.criterion} strength: ${e.killed}/${e.tried} mutants killed${e.survived > 0 ? `, ${e.survived} survived` : ''}`,
      ),
      ...(e.survivors.length > 0 || e.error
        ? {
            detail: clip(
              [...e.survivors.map((s) => `${s.file}:${s.line} ${s.change}`), ...(e.error ? [e.error] : [])].join('\n'),
              2000,
            ),
          }
        : {}),
    }),
  },
  'proof.strengthen': {
    state: nothing,
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: `strength: round ${e.round}, the proof agent adds tests against the surviving mutants of ${list(e.criteria)}`,
    }),
  },
  'proof.strengthRefused': {
    state: nothing,
    words: (e) => ({
      level: 'warn',
      depth: 1,
      text: oneLine(
        `✗ strength round ${e.round}: ${[
          ...e.tests.map((t) => `${t.criterion} ${t.file} not frozen (${t.why})`),
          ...(e.stalled ? [`no test added: the proof agent ${e.stalled}`] : []),
        ].join(', ')}`,
      ),
      detail: clip(e.tests.map((t) => `${t.file}: ${t.why}\n${t.output}`).join('\n\n'), 2000),
    }),
  },
  'proof.equivalent': {
    state: nothing,
    words: (e) => ({
      level: 'info',
      depth: 1,
      text: oneLine(
        `· ${e.criterion} mutant ${e.file}:${e.line} ${e.change} judged equivalent by the review: not counted (${e.why})`,
      ),
    }),
  },
} satisfies Entries;
