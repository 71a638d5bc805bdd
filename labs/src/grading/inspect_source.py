"""Static facts about Python source files, read with Python's own parser (ast).

Usage: python3 inspect_source.py FILE...

Prints one JSON object: {"stdlib": [...], "files": {FILE: {...}}}, where each file has
"syntax_error" (null or a message), "imports" (every imported module, dotted, with its
line), "print_calls" (lines of print(...) calls), "names" (every identifier and attribute
name used, with its first line) and "int_constants" (module-level NAME = <int literal>
assignments with the literal's position, so the grader can lower a count).
"""
import ast
import json
import sys


def imports_of(tree):
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found.append({"module": alias.name, "line": node.lineno})
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                # A relative import names a file of the submission itself.
                continue
            base = node.module or ""
            found.append({"module": base, "line": node.lineno})
            for alias in node.names:
                # "from concurrent import futures" imports concurrent.futures.
                found.append({"module": base + "." + alias.name, "line": node.lineno,
                              "from_item": True})
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
              and node.func.id == "__import__" and node.args
              and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)):
            found.append({"module": node.args[0].value, "line": node.lineno})
    return found


def names_of(tree):
    first = {}
    for node in ast.walk(tree):
        name = None
        if isinstance(node, ast.Name):
            name = node.id
        elif isinstance(node, ast.Attribute):
            name = node.attr
        if name is not None:
            line = getattr(node, "lineno", 0)
            if name not in first or line < first[name]:
                first[name] = line
    return first


def print_calls_of(tree):
    return sorted(node.lineno for node in ast.walk(tree)
                  if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                  and node.func.id == "print")


def int_constants_of(tree):
    found = []
    for node in tree.body:
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        target, value = node.targets[0], node.value
        if (isinstance(target, ast.Name) and isinstance(value, ast.Constant)
                and type(value.value) is int):
            found.append({"name": target.id, "value": value.value,
                          "line": value.lineno, "col": value.col_offset,
                          "end_col": value.end_col_offset})
    return found


def inspect(path):
    try:
        with open(path, "rb") as f:
            source = f.read()
        tree = ast.parse(source, filename=path)
    except (SyntaxError, ValueError, OSError) as e:
        return {"syntax_error": str(e), "imports": [], "print_calls": [],
                "names": {}, "int_constants": []}
    return {"syntax_error": None, "imports": imports_of(tree),
            "print_calls": print_calls_of(tree), "names": names_of(tree),
            "int_constants": int_constants_of(tree)}


def main():
    report = {"stdlib": sorted(sys.stdlib_module_names),
              "files": {path: inspect(path) for path in sys.argv[1:]}}
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()
