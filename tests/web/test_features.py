"""pia.web is one package per feature plus `shared`: features import only themselves and shared,
shared imports no feature, and each feature's templates sit under templates/<feature>/ so no two
features can define the same template name."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import pia.web
from pia.web import BLUEPRINTS

WEB = Path(pia.web.__file__).resolve().parent
FEATURES = sorted(spec.split(":")[0].rsplit(".", 1)[1] for spec in BLUEPRINTS)


def web_imports(package: str) -> set[str]:
    """The pia.web subpackages that modules of `package` import (absolute imports)."""
    found = set()
    for path in (WEB / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            for name in names:
                parts = name.split(".")
                if parts[:2] == ["pia", "web"] and len(parts) > 2:
                    found.add(parts[2])
    return found


def test_every_blueprint_is_a_feature_package_named_for_its_blueprint() -> None:
    assert "shared" in FEATURES
    for spec in BLUEPRINTS:
        module_name, _, attribute = spec.partition(":")
        module = importlib.import_module(module_name)
        blueprint = getattr(module, attribute)
        assert blueprint.name == module_name.rsplit(".", 1)[1]
        assert module.__doc__ and len(module.__doc__.split()) >= 15, module_name


@pytest.mark.parametrize("feature", [f for f in FEATURES if f != "shared"])
def test_a_feature_imports_only_itself_and_shared(feature: str) -> None:
    assert web_imports(feature) <= {feature, "shared"}


def test_shared_imports_no_feature() -> None:
    assert web_imports("shared") <= {"shared"}


@pytest.mark.parametrize("feature", [f for f in FEATURES if f != "shared"])
def test_a_features_templates_are_under_its_own_name(feature: str) -> None:
    templates = WEB / feature / "templates"
    assert [p.name for p in templates.iterdir()] == [feature]
    assert any((templates / feature).rglob("*.html"))
