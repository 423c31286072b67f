"""The layout rules of STYLE.md, checked on the source: nothing imports core; pure code imports no Django."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PURE = ["annotator/agreement", "annotator/formats", "annotator/text.py", "annotator/attribution.py",
        "annotator/claim_similarity.py"]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _python_files(*places: str) -> list[Path]:
    files: list[Path] = []
    for place in places:
        target = ROOT / place
        files.extend([target] if target.is_file() else sorted(target.rglob("*.py")))
    return files


@pytest.mark.parametrize("path", _python_files("annotator", "tests", "bench"), ids=str)
def test_nothing_imports_the_core_configuration_package(path):
    assert not {name for name in _imports(path) if name == "core" or name.startswith("core.")}


@pytest.mark.parametrize("path", _python_files(*PURE), ids=str)
def test_pure_packages_import_no_django_and_nothing_of_ours_but_pure_code(path):
    ours = {name for name in _imports(path) if name.startswith(("annotator", "django", "rest_framework"))}
    allowed = {name for name in ours if name == "annotator.text" or name.startswith(("annotator.formats",
                                                                                     "annotator.agreement"))}

    assert ours == allowed


def test_no_grab_bag_modules():
    names = {path.name for path in _python_files("annotator")}

    assert not names & {"utils.py", "helpers.py", "common.py", "misc.py"}
