"""Layers import downward only, and so do the engine's subpackages.

The engine must not load the web, database or PDF libraries; inside it, the expression language
knows nothing of the bank loader or of evaluation, and the bank reader nothing of evaluation. The
direction checks read every module's imports with `ast`, including imports inside functions.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pia

FORBIDDEN = ("flask", "sqlalchemy", "reportlab", "wtforms", "flask_wtf", "psycopg", "alembic")
PACKAGE_ROOT = Path(pia.__file__).parent

# The engine's shared vocabulary: the Bank's values and the problem catalogue. They import only
# each other, so every subpackage may use them without a cycle.
VOCABULARY = ("pia.engine.bank.model", "pia.engine.bank.problems")

# What each part of the engine may import from pia (besides itself and pia.errors).
ENGINE_ALLOWED: dict[str, tuple[str, ...]] = {
    "vocabulary": VOCABULARY,
    "expr": ("pia.engine.expr", *VOCABULARY),
    "bank": ("pia.engine.bank", "pia.engine.expr"),
    "evaluation": ("pia.engine.evaluation", "pia.engine.bank", "pia.engine.expr"),
    "compare": (
        "pia.engine.compare",
        "pia.engine.evaluation",
        "pia.engine.bank",
        "pia.engine.expr",
    ),
    "facade": ("pia.engine",),
}

# Whole layers, lowest first: each may import only from layers at or below it.
LAYERS = ("pia.errors", "pia.engine", "pia.report", "pia.store", "pia.web", "pia.cli")


def test_importing_the_engine_loads_no_web_database_or_pdf_library() -> None:
    code = (
        "import sys, pia.engine, pia.engine.bank.loader, pia.engine.evaluation.evaluate\n"
        "import pia.engine.expr.compiler\n"
        f"print(','.join(sorted(m for m in {FORBIDDEN!r} if m in sys.modules)))\n"
        "print('pia.engine' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    loaded, engine = result.stdout.splitlines()
    assert engine == "True"  # the check ran in a process that really imported the engine
    assert loaded == ""


def test_the_engine_imports_only_the_standard_library_yaml_and_itself() -> None:
    code = (
        "import sys\nbefore = set(sys.modules)\nimport pia.engine\n"
        "new = {m.split('.')[0] for m in set(sys.modules) - before}\n"
        "std = set(sys.stdlib_module_names)\n"
        "print(','.join(sorted(m for m in new if m not in std and not m.startswith('_'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    # cython_runtime comes with libyaml's compiled PyYAML parser.
    assert set(result.stdout.strip().split(",")) <= {"pia", "yaml", "cython_runtime"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    relative = Path(*name.split("."))
    root = PACKAGE_ROOT.parent
    return (root / relative).with_suffix(".py").is_file() or (root / relative).is_dir()


def imported_modules(source: str, importer: str, is_package: bool) -> Iterator[str]:
    """Every pia module `source` imports, anywhere in the file; `from a import b` counts as a.b
    when a.b is a module."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = importer.split(".")
                anchor = package if is_package else package[:-1]
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                yield full if is_module(full) else base


def engine_part(module: str) -> str:
    if module == "pia.engine":
        return "facade"
    if module in VOCABULARY:
        return "vocabulary"
    return module.split(".")[2]


def within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)


def engine_violations(sources: Mapping[str, tuple[str, bool]]) -> list[str]:
    """`importer imports target` for every engine import that breaks ENGINE_ALLOWED; sources maps a
    module name to (its source, whether it is a package __init__)."""
    found = []
    for importer, (source, is_package) in sources.items():
        allowed = (*ENGINE_ALLOWED[engine_part(importer)], "pia.errors")
        for target in imported_modules(source, importer, is_package):
            if target.split(".")[0] == "pia" and not within(target, allowed):
                found.append(f"{importer} imports {target}")
    return found


def package_sources(package: str) -> dict[str, tuple[str, bool]]:
    folder = PACKAGE_ROOT.parent / Path(*package.split("."))
    return {
        module_name(path): (path.read_text(encoding="utf-8"), path.name == "__init__.py")
        for path in sorted(folder.rglob("*.py"))
    }


def test_engine_subpackages_import_only_in_the_allowed_directions() -> None:
    sources = package_sources("pia.engine")
    assert {"pia.engine.bank", "pia.engine.expr", "pia.engine.evaluation"} <= set(sources)
    assert all(engine_part(name) in ENGINE_ALLOWED for name in sources)
    assert engine_violations(sources) == []


def test_the_engine_direction_check_catches_an_upward_import() -> None:
    """The check above can fail: an expression module reaching into evaluation or the loader, the
    vocabulary reaching into expr, and a relative import out of expr are each reported."""
    sources = {
        "pia.engine.expr.compiler": ("from pia.engine.evaluation.result import Evaluation", False),
        "pia.engine.expr.check": ("from pia.engine.bank import loader", False),
        "pia.engine.bank.model": ("import pia.engine.expr.value_types", False),
        "pia.engine.expr.build": ("from ..evaluation import plan", False),
        "pia.engine.bank.assemble": ("from pia.engine.expr.compiler import compile_typed", False),
    }
    assert engine_violations(sources) == [
        "pia.engine.expr.compiler imports pia.engine.evaluation.result",
        "pia.engine.expr.check imports pia.engine.bank.loader",
        "pia.engine.bank.model imports pia.engine.expr.value_types",
        "pia.engine.expr.build imports pia.engine.evaluation.plan",
    ]


def test_each_layer_imports_only_from_layers_below_it() -> None:
    found = []
    checked = 0
    for rank, layer in enumerate(LAYERS[1:], start=1):
        allowed = LAYERS[: rank + 1]
        for importer, (source, is_package) in package_sources(layer).items():
            for target in imported_modules(source, importer, is_package):
                checked += 1
                if target.split(".")[0] == "pia" and not within(target, allowed):
                    found.append(f"{importer} imports {target}")
    assert checked > 100  # the walk really read the package's imports
    assert found == []
