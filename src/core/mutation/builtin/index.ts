// The built-in mutator (docs/proof.md, "How strength mutates code in other languages"): mutants of
// the changed lines of Go, Java, Kotlin, C#, Rust, Swift, C and C++, PHP, Dart, Scala, Python and
// Ruby, applied and run one by one in a copy by the proof command (builtinEngine).
export { builtinEngine } from './builtinEngine';
export { applyMutant, builtinMutants, type BuiltinInput } from './mutants';
export { languageOf } from './languages';
