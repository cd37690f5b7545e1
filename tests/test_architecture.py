"""The one-way design of ../shared/ARCHITECTURE.md, held against the code's imports (read with ``ast``).

Stages import only what lies below them: models/ imports nothing of extractor/; every stage may import models/,
normalize/ and data/; ingest/ knows formats, not plans; checks/ read the ExtractedDocument and never import
ingest/, structure/, entities/ or tables/; output/ renders models; only pipeline.py knows every stage; nothing
imports cli.py. No module imports another in a circle.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import ROOT

# The layer a module belongs to -> the layers it may import (its own layer always included).
ALLOWED: dict[str, set[str]] = {
    "models": set(),
    "extractor.errors": set(),
    "extractor.faults": {"models"},
    "extractor.options": {"models"},
    "extractor.data": {"models"},
    "extractor.normalize": {"models", "extractor.data"},
    "extractor.ingest": {
        "models",
        "extractor.data",
        "extractor.normalize",
        "extractor.errors",
        "extractor.options",
    },
    "extractor.structure": {"models", "extractor.data", "extractor.normalize"},
    "extractor.entities": {
        "models",
        "extractor.data",
        "extractor.normalize",
        "extractor.structure",
        "extractor.faults",
    },
    "extractor.tables": {
        "models",
        "extractor.data",
        "extractor.normalize",
        "extractor.structure",
        "extractor.faults",
    },
    "extractor.checks": {"models", "extractor.data", "extractor.normalize", "extractor.faults"},
    "extractor.output": {"models", "extractor.data", "extractor.normalize"},
    # Holds a plan's targets against later documents' results: reads ExtractedDocument models, folds names
    # with the one normalizer and takes its vocabularies from data/, never re-reads a file or a stage.
    "extractor.compare": {"models", "extractor.data", "extractor.entities", "extractor.normalize"},
    "extractor.evaluate": {"models", "extractor.data", "extractor.normalize", "extractor.output"},
    # Reads the OCR words of the document model and writes each value's confidence: models only.
    "extractor.confidence": {"models"},
    # The archive stores extractions (models) and folds search text with the one normalizer; it knows the
    # package version for the extractor version, nothing of the stages.
    "extractor.archive": {"models", "extractor", "extractor.data", "extractor.normalize", "extractor.output"},
    "extractor.pipeline": {
        "models",
        "extractor.options",
        "extractor.faults",
        "extractor.ingest",
        "extractor.normalize",
        "extractor.structure",
        "extractor.entities",
        "extractor.tables",
        "extractor.confidence",
        "extractor.checks",
    },
    "extractor": {"models", "extractor.options", "extractor.pipeline", "extractor.errors"},
    # The batch drives DocumentRunners (each a worker running the pipeline) and stores into the archive.
    "extractor.batch": {
        "models",
        "extractor.archive",
        "extractor.runner",
        "extractor.options",
        "extractor.track",
        "extractor.errors",
    },
    "extractor.runner": {
        "models",
        "extractor",
        "extractor.options",
        "extractor.errors",
        "extractor.cleanup",
        "extractor.pipeline",
    },
    "extractor.cli": {
        "models",
        "extractor",
        "extractor.data",
        "extractor.errors",
        "extractor.options",
        "extractor.output",
        "extractor.evaluate",
        "extractor.archive",
        "extractor.batch",
        "extractor.runner",
        "extractor.cleanup",
        "extractor.compare",
        "extractor.track",
        "extractor.web",
    },
    # The web interface reads the archive through its layer (no SQL), archives uploads with the batch, tells
    # an upload's format with ingest's detection (and a scan's page size with its OCR constants), and renders
    # the comparisons with output/.
    "extractor.web": {
        "models",
        "extractor.archive",
        "extractor.batch",
        "extractor.ingest",
        "extractor.options",
        "extractor.output",
        "extractor.track",
    },
    "extractor.track": {"models", "extractor.archive", "extractor.compare", "extractor.normalize"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> str:
    """The longest layer name that ``module`` is or lies under."""
    matches = [layer for layer in ALLOWED if module == layer or module.startswith(layer + ".")]
    if not matches:
        raise AssertionError(f"{module} belongs to no layer of the architecture")
    return max(matches, key=len)


@cache
def project_imports() -> dict[str, set[str]]:
    """Module -> the project modules it imports (``from x import y`` counts x.y when that is a module, else x)."""
    files = [*ROOT.glob("extractor/**/*.py"), *ROOT.glob("models/**/*.py")]
    names = {module_name(path) for path in files}
    imports: dict[str, set[str]] = {}
    for path in files:
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    submodule = f"{node.module}.{alias.name}"
                    found.add(submodule if submodule in names else node.module)
        imports[module_name(path)] = {name for name in found if name in names}
    return imports


EDGES = sorted((module, imported) for module, targets in project_imports().items() for imported in targets)


@pytest.mark.parametrize(("module", "imported"), EDGES, ids=[f"{a}->{b}" for a, b in EDGES])
def test_imports_run_one_way(module: str, imported: str) -> None:
    own, other = layer_of(module), layer_of(imported)
    if own == other:
        return
    assert other in ALLOWED[own], f"{module} imports {imported}: {own} may import only {sorted(ALLOWED[own])}"


def test_nothing_imports_the_cli() -> None:
    assert [module for module, targets in project_imports().items() if "extractor.cli" in targets] == []


def test_no_circle_of_imports() -> None:
    graph = project_imports()
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            raise AssertionError("import circle: " + " -> ".join([*path[path.index(module) :], module]))
        if module in done:
            return
        for imported in sorted(graph.get(module, ())):
            if imported != module and not module.startswith(imported + "."):  # a package's own __init__
                visit(imported, [*path, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])


def test_the_layers_cover_every_module() -> None:
    for module in project_imports():
        layer_of(module)
