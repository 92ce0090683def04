// The built-in mutator (src/core/mutation/builtin, docs/proof.md "How strength mutates code in
// other languages") on small realistic files of each family: which mutants it makes, on the changed
// lines only, never inside a comment or a literal, and never where the code would stop compiling
// (a generic's `<`, a Rust macro's `!`, a declaration dropped).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyMutant, builtinMutants, languageOf } from '../../../src/core/mutation/builtin';
import type { Mutant } from '../../../src/core/mutation/types';

const all = (path: string, text: string, ranges = [{ start: 1, end: 10_000 }]) =>
  builtinMutants({ path, text, changed: { path, ranges } });
const shown = (mutants: Mutant[]) =>
  mutants.map((m) => `${m.line}:${m.column} ${m.operator} ${m.original} → ${m.replacement}`);

const PYTHON = `def discounted(price, rate, seen):
    """Rates above 100 < anything are refused."""
    label = "price < 0 or rate > 1"  # a comment: x >= 1 and not y
    if rate > 100 or price is None:
        raise ValueError(f"rate {rate > 100} is too high")
    total = price * (100 - rate) // 100
    for item in seen:
        if item not in seen and not item.free:
            log.append(item)
    return total >= 0 and True
`;

test("Python: comparisons, boundaries, booleans, `is`/`in`, constants, arithmetic and statements, never inside strings, f-strings or comments, never a for-loop's `in`", () => {
  assert.deepEqual(shown(all('shop/pricing.py', PYTHON)), [
    '3:5 return label = "price < 0 or rate > 1" → return; label = "price < 0 or rate > 1"',
    '3:5 statement label = "price < 0 or rate > 1" → pass',
    '4:13 boundary > → >=',
    '4:13 comparison > → <=',
    '4:15 constant 100 → 101',
    '4:19 boolean or → and',
    '4:28 comparison is → is not',
    '6:5 return total = price * (100 - rate) // 100 → return; total = price * (100 - rate) // 100',
    '6:5 statement total = price * (100 - rate) // 100 → pass',
    '6:19 arithmetic * → /',
    '6:22 constant 100 → 101',
    '6:26 arithmetic - → +',
    '6:37 constant 100 → 101',
    '8:17 comparison not in → in',
    '8:29 boolean and → or',
    '8:33 boolean not  → ',
    '9:13 return log.append(item) → return; log.append(item)',
    '9:13 statement log.append(item) → pass',
    '10:18 boundary >= → >',
    '10:18 comparison >= → <',
    '10:21 constant 0 → 1',
    '10:23 boolean and → or',
    '10:27 boolean True → False',
  ]);
  // Each mutant changes exactly its text, and a dropped statement keeps its indentation.
  const mutants = all('shop/pricing.py', PYTHON);
  const dropped = applyMutant(
    PYTHON,
    mutants.find((m) => m.operator === 'statement' && m.line === 9)!,
  );
  assert.equal(dropped.split('\n')[8], '            pass');
  assert.equal(
    applyMutant(
      PYTHON,
      mutants.find((m) => m.original === 'not in')!,
    ).split('\n')[7],
    '        if item in seen and not item.free:',
  );
});

test('changed lines only: a mutant on a line outside the ranges is never made, and a range selects exactly its lines', () => {
  const lines = all('shop/pricing.py', PYTHON, [
    { start: 4, end: 4 },
    { start: 10, end: 10 },
  ]).map((m) => m.line);
  assert.deepEqual([...new Set(lines)], [4, 10]);
  assert.deepEqual(all('shop/pricing.py', PYTHON, []), []);
  assert.deepEqual(
    all('shop/pricing.py', PYTHON, [{ start: 1, end: 2 }]),
    [],
    'the header and the docstring have nothing to mutate',
  );
});

const GO = `package shop

// Total sums the prices below the limit: a < b in a comment.
func Total(prices []int, limit int) int {
	sum := 0
	for i := 0; i < len(prices); i++ {
		if prices[i] <= limit && !skipped(i) {
			sum += prices[i]
		}
	}
	return sum
}

func (c *Cart) Add(p Product) {
	c.items = append(c.items, p)
	log.Printf("added %d > %d", p.ID, c.max)
	raw := \`a < b || c\`
	var ptrs []*Product
}
`;

test('Go: a void method gets early returns, a function with a result never does; declarations (:=, var) are never dropped; raw strings are data', () => {
  assert.deepEqual(shown(all('shop/cart.go', GO)), [
    '5:9 constant 0 → 1',
    '6:11 constant 0 → 1',
    '6:16 boundary < → <=',
    '6:16 comparison < → >=',
    '7:16 boundary <= → <',
    '7:16 comparison <= → >',
    '7:25 boolean && → ||',
    '7:28 boolean ! → ',
    '8:4 statement sum += prices[i] → ',
    '8:8 arithmetic += → -=',
    '15:2 return c.items = append(c.items, p) → return; c.items = append(c.items, p)',
    '15:2 statement c.items = append(c.items, p) → ',
    '16:2 return log.Printf("added %d > %d", p.ID, c.max) → return; log.Printf("added %d > %d", p.ID, c.max)',
    '16:2 statement log.Printf("added %d > %d", p.ID, c.max) → ',
  ]);
});

const JAVA = `package shop;

import java.util.List;

public class Cart {
  private final List<String> names = new ArrayList<>();
  private Map<String, List<Integer>> counts;

  public void add(String name) {
    if (name == null || name.length() > 10) {
      throw new IllegalArgumentException("bad name: length > 10");
    }
    names.add(name);
    size++;
    char c = '<';
  }

  int remaining() { return LIMIT - names.size(); }
}
`;

test('Java: generics are not comparisons, a char literal is data, an early return is `if (true) return;` (Java refuses unreachable code)', () => {
  assert.deepEqual(shown(all('src/main/java/shop/Cart.java', JAVA)), [
    '10:14 comparison == → !=',
    '10:22 boolean || → &&',
    '10:39 boundary > → >=',
    '10:39 comparison > → <=',
    '10:41 constant 10 → 11',
    '13:5 return names.add(name); → if (true) return; names.add(name);',
    '13:5 statement names.add(name); → ',
    '14:5 return size++; → if (true) return; size++;',
    '14:5 statement size++; → ',
    '18:34 arithmetic - → +',
  ]);
});

const RUST = `/// Adds x when it is small: x < 10.
pub fn add(v: &mut Vec<Vec<i32>>, x: i32) {
    if x >= 0 && v.len() < 10 {
        v.push(vec![x * 2]);
    }
    println!("{} < {}", x, '<');
    let label = r#"a < "b" && c"#;
}

fn longest<'a, T>(s: &'a str, t: T) -> usize where T: Display + Send {
    s.len() + 1
}
`;

test("Rust: nested generics, macros, lifetimes, char and raw strings left alone; a trait bound's `+` is not arithmetic; no early return where a result is due", () => {
  assert.deepEqual(shown(all('src/lib.rs', RUST)), [
    '3:10 boundary >= → >',
    '3:10 comparison >= → <',
    '3:13 constant 0 → 1',
    '3:15 boolean && → ||',
    '3:26 boundary < → <=',
    '3:26 comparison < → >=',
    '3:28 constant 10 → 11',
    '4:9 return v.push(vec![x * 2]); → return; v.push(vec![x * 2]);',
    '4:9 statement v.push(vec![x * 2]); → ',
    '4:23 arithmetic * → /',
    '4:25 constant 2 → 3',
    '6:5 return println!("{} < {}", x, \'<\'); → return; println!("{} < {}", x, \'<\');',
    '6:5 statement println!("{} < {}", x, \'<\'); → ',
    '11:13 arithmetic + → -',
    '11:15 constant 1 → 0',
  ]);
});

const RUBY = `class Cart < Base
  # total > 0 unless empty
  def add(item)
    return if item.nil? || item.price <= 0
    @items << item
    @total += item.price
    notify("added #{item.name} > #{LIMIT}")
    parts = line.split /,|</
    note = <<~TEXT
      a < b and c
    TEXT
    ok = !item.hidden and true
  end
end
`;

test("Ruby: a superclass's `<`, regular expressions, heredocs and interpolations are not code to mutate; `and`/`or`, `!` and `true` are", () => {
  assert.deepEqual(shown(all('app/models/cart.rb', RUBY)), [
    '4:25 boolean || → &&',
    '4:39 boundary <= → <',
    '4:39 comparison <= → >',
    '4:42 constant 0 → 1',
    '6:5 return @total += item.price → return; @total += item.price',
    '6:5 statement @total += item.price → ',
    '6:12 arithmetic += → -=',
    '7:5 return notify("added #{item.name} > #{LIMIT}") → return; notify("added #{item.name} > #{LIMIT}")',
    '7:5 statement notify("added #{item.name} > #{LIMIT}") → ',
    '8:5 return parts = line.split /,|</ → return; parts = line.split /,|</',
    '8:5 statement parts = line.split /,|</ → ',
    '12:5 return ok = !item.hidden and true → return; ok = !item.hidden and true',
    '12:5 statement ok = !item.hidden and true → ',
    '12:10 boolean ! → ',
    '12:23 boolean and → or',
    '12:27 boolean true → false',
  ]);
});

test('the language comes from the extension, or is named; a language of StrykerJS or an unknown one gets no built-in mutants', () => {
  assert.equal(languageOf('a/b.kt')?.name, 'kotlin');
  assert.equal(languageOf('a/b.HPP')?.name, 'cpp');
  assert.equal(languageOf('a/b.txt', 'py')?.name, 'python');
  assert.equal(languageOf('src/app.ts'), undefined);
  assert.deepEqual(all('src/app.ts', 'if (a < b) run();\n'), []);
  assert.equal(all('Makefile.inc', 'x = a < b\n').length, 0);
  assert.equal(
    builtinMutants({
      path: 'tool',
      text: 'x = a < b\n',
      language: 'python',
      changed: { path: 'tool', ranges: [{ start: 1, end: 1 }] },
    }).length,
    3,
    'two comparisons and the statement; no early return outside a def',
  );
});

test("the other C-like languages' strings and comments: every operator here is data, so no mutant is made", () => {
  const quiet: Record<string, string> = {
    'A.kt': 'val s = "${a > 1} < b"\nval t = """x < "y" ${m["k"]} && z"""\n/* a < b /* nested > */ c > d */\n',
    'a.swift': 'let s = "\\(a > 1) < b"\nlet r = #"a < "b" || c"#\nlet m = """\n  a < b\n  """\n',
    'A.cs': '#if DEBUG && TRACE\nvar s = $"{d["k"]} < {x > 1}";\nvar v = @"c:\\ < ""x"" && y";\n#endif\n',
    'a.cpp': '#include <vector>\nauto s = R"(a < b && ")c)";\nauto c = \'<\';\n',
    'a.php': '<?php\n# a < b\n$s = "a < {$x}" . \'b > c\';\n$h = <<<EOT\n  a < b || c\nEOT;\n',
    'a.dart': "final s = '${x > 1} a < b';\nfinal t = '''\n a < b\n''';\n",
    'A.scala': 'val s = s"${x > 1} a < b"\nval t = """a < b"""\n',
  };
  for (const [path, text] of Object.entries(quiet)) assert.deepEqual(shown(all(path, text)), [], path);
});

test("what would stop the code compiling is left alone: decorators, continued lines, a block opened on the line, a lambda's value, an array type's length, a closure's bars, a pattern's literals", () => {
  const python =
    'def outer():\n    @app.route("/x")\n    def inner():\n        total = a + \\\n            b\n        rows = [\n            1,\n        ]\n    return inner\n';
  assert.deepEqual(
    shown(all('a.py', python)),
    ['7:13 constant 1 → 0'],
    "not even the continued line's `+`: its operand is on the next line",
  );
  const ruby = 'def f\n  x = if ok\n    1\n  end\n  items.each do |i|\n    puts(i)\n  end\nend\n';
  assert.deepEqual(shown(all('a.rb', ruby)), [
    '3:5 constant 1 → 0',
    '6:5 return puts(i) → return; puts(i)',
    '6:5 statement puts(i) → ',
  ]);
  const kotlin =
    'fun f(xs: List<Int>): List<Int> {\n    log(xs)\n    return xs.map {\n        transform(it)\n    }\n}\n';
  assert.deepEqual(
    shown(all('a.kt', kotlin)),
    ['2:5 statement log(xs) → '],
    "the lambda's value stays; no early return from a function with a result",
  );
  assert.deepEqual(
    shown(all('a.go', 'package a\n\nvar buf [4]byte\nvar grid = [2][3]int{}\nfunc f() { x := xs[0]; _ = x }\n')),
    ['5:20 constant 0 → 1'],
  );
  assert.deepEqual(shown(all('a.rs', "fn f() -> [u8; 4] { let c = '\\''; let d = a < b; [0; 4] }\n")), [
    '1:45 boundary < → <=',
    '1:45 comparison < → >=',
    '1:51 constant 0 → 1',
  ]);
  const closures = 'fn f() {\n    let len = || -> usize { 1 };\n    let ok = move || a || !b;\n}\n';
  assert.deepEqual(
    shown(all('a.rs', closures)),
    ['2:29 constant 1 → 0', '3:24 boolean || → &&', '3:27 boolean ! → '],
    "a closure's `||` is not an or",
  );
  // A match arm's or a case label's literal: changed, the match is no longer exhaustive or a label is repeated.
  const arms =
    'fn f(x: u64, a: bool, b: bool) -> u64 {\n    match (a, b) {\n        (true, false) => 1,\n        n if n > 5 => 2,\n        _ => x + 1,\n    }\n}\n';
  assert.deepEqual(shown(all('a.rs', arms)), [
    '3:26 constant 1 → 0',
    '4:16 boundary > → >=',
    '4:16 comparison > → <=',
    '4:18 constant 5 → 6',
    '4:23 constant 2 → 3',
    '5:16 arithmetic + → -',
    '5:18 constant 1 → 0',
  ]);
  // An attribute is read by the compiler; a block's last statement may be what makes it diverge.
  const diverging =
    '#[repr(align(8))]\nstruct A;\nfn f(x: u8) -> u8 {\n    if x > 1 {\n        return 2;\n    }\n    unreachable!("x > 1");\n}\nfn g() {\n    log(1);\n}\n';
  assert.deepEqual(shown(all('a.rs', diverging)), [
    '4:10 boundary > → >=',
    '4:10 comparison > → <=',
    '4:12 constant 1 → 0',
    '5:16 constant 2 → 3',
    '10:5 return log(1); → return; log(1);',
    '10:5 statement log(1); → ',
    '10:9 constant 1 → 0',
  ]);
  const labels =
    'class A {\n  int f(int x) {\n    switch (x) {\n      case 1: return 2;\n      case 3 -> { return 4; }\n    }\n    return 0;\n  }\n}\n';
  assert.deepEqual(shown(all('A.java', labels)), ['4:22 constant 2 → 3', '5:26 constant 4 → 5', '7:12 constant 0 → 1']);
});
