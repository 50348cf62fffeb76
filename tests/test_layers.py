"""The package's layers (docs/development.md lists them): every import of every module of ``flask_order_admin``
points to its own layer or a lower one, and no two modules import each other through any circle.

Every import counts: top-level, inside a function, and under ``if TYPE_CHECKING:`` (a lower layer that names a
higher one's type declares a ``typing.Protocol`` instead). Also here: no ``ContextVar`` in the package (the
per-app object is passed, not found in hidden state). tests/test_hygiene.py checks the repository itself.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "flask_order_admin"

# Lowest first. A name covers the module and, for a package, everything under it; a subpackage's __init__ belongs
# to its subpackage's layer. A module no entry covers fails test_every_module_has_a_layer: place new ones here.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("domain", ("domain", "errors", "pricing")),
    # translations/ holds only the catalogs i18n reads (its __init__ is a docstring).
    ("config", ("settings", "i18n", "signals", "translations")),
    ("store", ("store", "models", "migrations")),
    ("services", ("services", "access")),
    ("export/jobs", ("export", "jobs")),
    ("panel", ("panel",)),
    ("views", ("views",)),
    ("extension", ("extension", "cli", "")),
]


def modules_of(source: Path, package: str) -> dict[str, Path]:
    """Every module under ``source`` (the package's folder) by dotted name; a package's ``__init__`` under the
    package's own name."""
    found = {}
    for path in sorted(source.rglob("*.py")):
        parts = list(path.relative_to(source).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join([package, *parts])] = path
    return found


def imported_modules(module: str, path: Path, modules: Collection[str]) -> Iterator[tuple[int, str]]:
    """(line, module) for every import in ``module``'s file, anywhere in it, relative imports resolved, of the
    modules in ``modules``. An import names the most specific module it reaches: ``from .store import records``
    and ``from .store.records import X`` are both store.records, not the packages Python runs on the way."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield from _known(node.lineno, alias.name, modules)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                # A package's __init__ is its own anchor for "."; a plain module's is the package holding it.
                parts = module.split(".")
                parts = parts[:len(parts) - (node.level - 1 if is_package else node.level)]
                base = ".".join(parts + ([node.module] if node.module else []))
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                yield from _known(node.lineno, submodule if submodule in modules else base, modules)


def _known(line: int, name: str, modules: Collection[str]) -> Iterator[tuple[int, str]]:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    if name:
        yield line, name


def import_graph(source: Path, package: str) -> dict[str, dict[str, int]]:
    """module → {module of the package it imports: the first line importing it}."""
    modules = modules_of(source, package)
    graph: dict[str, dict[str, int]] = {}
    for module, path in modules.items():
        edges: dict[str, int] = {}
        for line, imported in sorted(imported_modules(module, path, modules)):
            if imported != module:
                edges.setdefault(imported, line)
        graph[module] = edges
    return graph


def layer_of(module: str, package: str = PACKAGE) -> int | None:
    """The index in LAYERS of the longest entry covering ``module``; None if none does."""
    name = module.removeprefix(package).removeprefix(".")
    best: tuple[int, int] | None = None
    for index, (_, entries) in enumerate(LAYERS):
        for entry in entries:
            if name == entry or (entry and name.startswith(entry + ".")):
                if best is None or len(entry) > best[0]:
                    best = (len(entry), index)
    return None if best is None else best[1]


def strongly_connected(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The groups of modules that reach each other (Tarjan), each of two or more modules, or one importing itself."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph.get(node, {}):
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(groups)


def circles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """For every module caught in a circle, the shortest circle through it (each circle once, from its smallest
    module): together they name every import that keeps each group of modules tied."""
    found: set[tuple[str, ...]] = set()
    for group in strongly_connected(graph):
        members = set(group)
        for start in group:
            paths = {start: [start]}
            frontier = [start]
            circle = None
            while frontier and circle is None:
                next_frontier = []
                for node in frontier:
                    for target in sorted(graph[node]):
                        if target == start:
                            circle = paths[node]
                            break
                        if target in members and target not in paths:
                            paths[target] = paths[node] + [target]
                            next_frontier.append(target)
                    if circle is not None:
                        break
                frontier = next_frontier
            assert circle is not None
            turn = circle.index(min(circle))
            found.add(tuple(circle[turn:] + circle[:turn]))
    return [list(circle) for circle in sorted(found)]


def describe_circle(circle: list[str], graph: dict[str, dict[str, int]], package: str = PACKAGE) -> str:
    steps = [f"{short(a, package)} (line {graph[a][b]})" for a, b in zip(circle, circle[1:] + circle[:1])]
    return " → ".join(steps + [short(circle[0], package)])


def short(module: str, package: str = PACKAGE) -> str:
    return module.removeprefix(package).removeprefix(".") or f"{package}/__init__"


def upward_imports(graph: dict[str, dict[str, int]], package: str = PACKAGE) -> list[str]:
    found = []
    for module, edges in sorted(graph.items()):
        own = layer_of(module, package)
        for target, line in sorted(edges.items()):
            theirs = layer_of(target, package)
            if own is not None and theirs is not None and theirs > own:
                found.append(f"{short(module, package)} ({LAYERS[own][0]}) imports {short(target, package)} "
                             f"({LAYERS[theirs][0]}) at line {line}")
    return found


def the_graph() -> dict[str, dict[str, int]]:
    return import_graph(ROOT / PACKAGE, PACKAGE)


def test_every_module_has_a_layer():
    unplaced = [short(module) for module in the_graph() if layer_of(module) is None]
    assert not unplaced, ("modules in no layer (place each in tests/test_layers.py's LAYERS):\n  "
                          + "\n  ".join(unplaced))


def test_no_import_circles():
    graph = the_graph()
    found = [describe_circle(circle, graph) for circle in circles(graph)]
    assert not found, f"{len(found)} import circle(s), each import with its line:\n  " + "\n  ".join(found)


def test_no_import_from_a_higher_layer():
    found = upward_imports(the_graph())
    assert not found, (f"{len(found)} import(s) from a higher layer (lowest first: "
                       + ", ".join(name for name, _ in LAYERS) + "):\n  " + "\n  ".join(found))


def write_package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "made_up" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "made_up"


def test_the_walker_finds_circles_through_every_kind_of_import(tmp_path):
    source = write_package(tmp_path, {
        "__init__.py": "",
        "a.py": "from . import b\n",
        "b.py": "def later():\n    from .sub.c import thing\n",
        "sub/__init__.py": "",
        "sub/c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..a import A\n",
        "d.py": "import made_up.e\n",
        "e.py": "import made_up\nfrom .d import x\n",
        "f.py": "from .a import A\n",  # imports into a circle, is not in one
    })
    graph = import_graph(source, "made_up")
    assert circles(graph) == [["made_up.a", "made_up.b", "made_up.sub.c"], ["made_up.d", "made_up.e"]]
    assert describe_circle(circles(graph)[0], graph, "made_up") == "a (line 1) → b (line 2) → sub.c (line 3) → a"
    assert graph["made_up.e"] == {"made_up": 1, "made_up.d": 2}


def test_the_walker_reports_an_import_from_a_higher_layer(tmp_path):
    source = write_package(tmp_path, {
        "__init__.py": "from .views import page\n",
        "views/__init__.py": "",
        "views/page.py": "from ..domain import rules\n",
        "domain/__init__.py": "",
        "domain/rules.py": "def f():\n    from made_up.views.page import X\n",
    })
    assert upward_imports(import_graph(source, "made_up"), "made_up") == [
        "domain.rules (domain) imports views.page (views) at line 2"]


def context_vars(source: Path) -> list[str]:
    """Where the package names ``ContextVar``: state kept in a context variable. Copying the caller's context
    into a thread (``contextvars.copy_context``, the resolver pool: the host's resolver sees the host's
    context) keeps no state of the package's and is allowed."""
    found = []
    for path in sorted(source.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([alias.name for alias in node.names] if isinstance(node, (ast.Import, ast.ImportFrom))
                     else [node.attr] if isinstance(node, ast.Attribute) else [node.id] if isinstance(node, ast.Name)
                     else [])
            if any(name.rpartition(".")[2] == "ContextVar" for name in names):
                found.append(f"{path.relative_to(source.parent)}:{node.lineno}")
    return sorted(set(found))


def test_no_context_var_in_the_package():
    found = context_vars(ROOT / PACKAGE)
    assert not found, "ContextVar (state the per-app object should carry, passed along) at:\n  " + "\n  ".join(found)


def test_the_context_var_check_sees_one(tmp_path):
    source = write_package(tmp_path, {"__init__.py": "import contextvars\nv = contextvars.ContextVar('v')\n",
                                      "a.py": "import contextvars\ncontext = contextvars.copy_context()\n",
                                      "b.py": "from contextvars import ContextVar as V\n"})
    assert context_vars(source) == ["made_up/__init__.py:2", "made_up/b.py:1"]
