"""The direction of imports: the package layout is an architecture, and this test keeps it one.

- no cycle between modules (imports inside functions included);
- `pipeline.records` imports nothing else from the pipeline;
- the stages (ingest, text, clean, repair, extract, tables) never import the run recipe, the per-document recipe,
  the schedulers, the exports, the tools or the CLI;
- no module imports another package's internals: from outside a package only its `__init__` (its `__all__`) is
  used, and names with a leading underscore stay in their module (tests included).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "pipeline"
STAGES = (
    "pipeline.ingest", "pipeline.text", "pipeline.clean", "pipeline.repair", "pipeline.extract", "pipeline.tables",
)
ABOVE_STAGES = (
    "pipeline.run", "pipeline.document", "pipeline.scheduling", "pipeline.exports", "pipeline.tools", "pipeline.cli",
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_package(name: str) -> bool:
    return (ROOT / Path(*name.split(".")) / "__init__.py").exists()


def is_module(name: str) -> bool:
    return is_package(name) or (ROOT / Path(*name.split("."))).with_suffix(".py").exists()


def imports_of(path: Path) -> list[tuple[str, str]]:
    """(module, imported name or "") for every pipeline import in a file, at any depth (lazy imports included).

    `from pipeline.x import y` where y is a submodule counts as an import of `pipeline.x.y`."""
    found: list[tuple[str, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, "") for alias in node.names if alias.name.split(".")[0] == "pipeline"]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "pipeline":
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.append((sub, "") if is_module(sub) else (node.module, alias.name))
    return found


def package_of(name: str) -> str:
    """The package a module belongs to (a package's `__init__` belongs to the package itself)."""
    return name if is_package(name) else name.rpartition(".")[0]


def is_inside(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def public_names(package: str) -> set[str]:
    """The names in a package's `__all__` (a submodule listed there, such as an engine seam, is public too)."""
    tree = ast.parse((ROOT / Path(*package.split(".")) / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            return {elt.value for elt in node.value.elts if isinstance(elt, ast.Constant)}  # type: ignore[attr-defined]
    return set()


def internal_violations(importer: str, imported: str, name: str) -> list[str]:
    """An import of a package's internals from outside that package, or of a private name from another module."""
    problems = []
    if name.startswith("_") and imported != importer:
        problems.append(f"{importer} imports private name {imported}.{name}")
    owner = package_of(imported)
    public = owner != "pipeline" and imported.rpartition(".")[2] in public_names(owner)
    if imported != owner and not is_inside(importer, owner) and owner != "pipeline" and not public:
        problems.append(f"{importer} imports {imported}, an internal module of {owner} (use {owner}'s __all__)")
    return problems


def pipeline_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        importer = module_name(path)
        graph[importer] = {imported for imported, _ in imports_of(path) if imported != importer}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle (as a path of modules), or [] when the graph is acyclic."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return []


def test_find_cycle_finds_a_cycle_and_accepts_a_tree() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) == []


def test_internal_violations_tell_surface_from_internals() -> None:
    assert internal_violations("pipeline.run", "pipeline.text", "source_to_raw_text") == []
    assert internal_violations("pipeline.text.pdf", "pipeline.text.layout", "items_to_lines") == []
    assert internal_violations("pipeline.run", "pipeline.text.pdf", "open_pdf")
    assert internal_violations("tests.test_x", "pipeline.clean", "_HYPHEN_BREAK")
    assert internal_violations("pipeline.run", "pipeline.cache", "load_index") == []
    assert internal_violations("tests.test_x", "pipeline.text.ocr", "") == []  # a seam listed in __all__


def test_imports_are_acyclic() -> None:
    assert find_cycle(pipeline_graph()) == []


def test_records_import_nothing_from_the_pipeline() -> None:
    graph = pipeline_graph()
    outside = {
        (module, imported)
        for module, targets in graph.items() if is_inside(module, "pipeline.records")
        for imported in targets if not is_inside(imported, "pipeline.records")
    }
    assert outside == set()


def test_stages_do_not_import_the_recipe_or_the_exports() -> None:
    graph = pipeline_graph()
    upward = {
        (module, imported)
        for module, targets in graph.items() if any(is_inside(module, stage) for stage in STAGES)
        for imported in targets if any(is_inside(imported, above) for above in ABOVE_STAGES)
    }
    assert upward == set()


@pytest.mark.parametrize("folder", ["pipeline", "tests", "scripts", "bench"])
def test_no_module_imports_another_packages_internals(folder: str) -> None:
    problems = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        importer = module_name(path)
        for imported, name in imports_of(path):
            problems += internal_violations(importer, imported, name)
    assert problems == []


def test_pipeline_top_level_stays_small() -> None:
    modules = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(modules) <= 12, modules


def test_every_package_declares_its_public_surface() -> None:
    for init in sorted(PACKAGE.rglob("__init__.py")):
        if init.parent == PACKAGE:
            continue
        tree = ast.parse(init.read_text(encoding="utf-8"))
        names = [t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets
                 if isinstance(t, ast.Name)]
        assert "__all__" in names, f"{init.relative_to(ROOT)} has no __all__"
