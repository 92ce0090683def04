"""What a real fix's Python test file holds, for `npm run realworld` (test/realworld/pyTests.ts).

Reads JSON on stdin: {"before": str | null, "after": str, "criterion": "REQ-1.1",
"package": "tests" | null, "only": bool}. Prints JSON: {"tests": [{"name", "submitted"}], "text"}.

- tests: the test functions (`def test…` at the top level) and methods (`def test…` in a class)
  the fix added or changed (their source differs from the base's), named `name` as pytest does
  (`Class::method` or `function`), and `submitted` as the proof test is named: `test_REQ_1_1_…`.
- text (when "only"): the file holding only those tests, renamed, in their classes with the
  classes' other methods (setUp, helpers); the other tests, classes left with none, and then the
  top-level imports nothing uses any more, left out; relative imports made absolute from
  `package` (the original file's package), so the file reads the same from the proof folder.
"""
import ast
import json
import re
import sys


def is_test(name):
    return name.startswith("test")


def is_def(node):
    return isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))


def tests_of(tree, text):
    """{qualified name: source} of every test function and test method."""
    found = {}
    for node in tree.body:
        if is_def(node) and is_test(node.name):
            found[node.name] = ast.get_source_segment(text, node)
        elif isinstance(node, ast.ClassDef):
            for item in node.body:
                if is_def(item) and is_test(item.name):
                    found[f"{node.name}::{item.name}"] = ast.get_source_segment(text, item)
    return found


def renamed(name, criterion):
    rest = re.sub(r"^test_?", "", name)
    return f"test_{re.sub(r'[^A-Za-z0-9]+', '_', criterion)}_{rest}"


def span(node):
    """Lines (0-based, end exclusive) of a definition with its decorators."""
    first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    return first - 1, node.end_lineno


def cut(lines, spans):
    for start, end in sorted(spans, reverse=True):
        del lines[start:end]
    return lines


def only(text, keep, criterion, package):
    tree = ast.parse(text)
    lines = text.split("\n")
    spans = []
    renames = {}
    for node in tree.body:
        if is_def(node) and is_test(node.name):
            if node.name in keep:
                renames[node.lineno - 1] = (node.name, renamed(node.name, criterion))
            else:
                spans.append(span(node))
        elif isinstance(node, ast.ClassDef):
            methods = [i for i in node.body if is_def(i) and is_test(i.name)]
            kept = [m for m in methods if f"{node.name}::{m.name}" in keep]
            if methods and not kept:
                spans.append(span(node))
                continue
            for m in methods:
                if m in kept:
                    renames[m.lineno - 1] = (m.name, renamed(m.name, criterion))
                else:
                    spans.append(span(m))
    for at, (old, new) in renames.items():
        lines[at] = re.sub(rf"\bdef {re.escape(old)}\b", f"def {new}", lines[at], count=1)
    text = "\n".join(cut(lines, spans))
    if package:
        text = re.sub(
            r"^(\s*from )(\.+)([\w.]*)( import )",
            lambda m: m.group(1) + absolute(package, m.group(2), m.group(3)) + m.group(4),
            text,
            flags=re.M,
        )
    return without_unused(text)


def absolute(package, dots, rest):
    parts = package.split(".")
    base = parts[: len(parts) - (len(dots) - 1)]
    return ".".join(base + ([rest] if rest else []))


def without_unused(text):
    """Top-level imports no name of the file uses, left out until none is left (a linter's F401)."""
    while True:
        tree = ast.parse(text)
        used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        used |= {n.value.id for n in ast.walk(tree) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)}
        spans = []
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                    continue
                names = [(a.asname or a.name).split(".")[0] for a in node.names]
                if "*" not in names and not any(n in used for n in names):
                    spans.append((node.lineno - 1, node.end_lineno))
        if not spans:
            return text
        text = "\n".join(cut(text.split("\n"), spans))


def main():
    given = json.load(sys.stdin)
    after = given["after"]
    before = given.get("before")
    old = tests_of(ast.parse(before), before) if before is not None else {}
    new = tests_of(ast.parse(after), after)
    added = [name for name, source in new.items() if old.get(name) != source]
    out = {
        "tests": [
            {"name": name, "submitted": renamed(name.split("::")[-1], given["criterion"])} for name in added
        ]
    }
    if given.get("only"):
        out["text"] = only(after, set(added), given["criterion"], given.get("package"))
    json.dump(out, sys.stdout)


main()
