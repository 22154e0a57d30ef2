"""The shape of the code: dependencies flow one way, migrations stand alone, modules stay small.

kb.core <- glossary <- kb.articles; kb.nps uses kb.core only; the site package (kb) wires the
apps together. Read from the source with `ast`, so a forbidden import anywhere in a module
(inside a function too) is found.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAX_MODULE_LINES = 600


def python_files(package: str, migrations: bool = False) -> list[Path]:
    return [
        path
        for path in sorted((ROOT / package).rglob("*.py"))
        if ("migrations" in path.parts) == migrations
    ]


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def imports_of(path: Path, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        module
        for module in imported_modules(path)
        if any(module == name or module.startswith(f"{name}.") for name in forbidden)
    )


def site_package_modules() -> list[Path]:
    """The site package's own modules: kb/ without the apps it holds."""
    apps = {"core", "articles", "nps", "feedback"}
    return [
        path
        for path in python_files("kb")
        if len(path.relative_to(ROOT / "kb").parts) == 1
        or path.relative_to(ROOT / "kb").parts[0] not in apps
    ]


LAYERS = [
    # (package, what it must never import)
    (
        "kb/core",
        ("glossary", "kb.articles", "kb.nps", "kb.feedback", "kb.api", "kb.urls", "kb.views"),
    ),
    (
        "glossary",
        ("kb.articles", "kb.nps", "kb.feedback", "kb.api", "kb.urls", "kb.views", "kb.sections"),
    ),
    ("kb/articles", ("kb.nps", "kb.feedback", "kb.api", "kb.urls", "kb.views", "kb.sections")),
    ("kb/nps", ("glossary", "kb.articles", "kb.feedback", "kb.urls", "kb.views", "kb.sections")),
    # Reader feedback points at terms and articles through the site (kb/feedback_pages.py).
    (
        "kb/feedback",
        (
            "glossary",
            "kb.articles",
            "kb.nps",
            "kb.api",
            "kb.urls",
            "kb.views",
            "kb.sections",
            "kb.feedback_pages",
            "kb.middleware",
        ),
    ),
]


@pytest.mark.parametrize(("package", "forbidden"), LAYERS, ids=[layer[0] for layer in LAYERS])
def test_dependencies_flow_one_way(package, forbidden):
    wrong = {
        str(path.relative_to(ROOT)): imports_of(path, forbidden)
        for path in python_files(package)
        if imports_of(path, forbidden)
    }
    assert not wrong


@pytest.mark.parametrize("package", ["glossary", "kb"])
def test_migrations_import_no_application_code(package):
    """A migration runs against the schema of its day: live code may change under it."""
    wrong = {
        str(path.relative_to(ROOT)): imports_of(path, ("glossary", "kb"))
        for path in python_files(package, migrations=True)
        if imports_of(path, ("glossary", "kb"))
    }
    assert not wrong


def test_no_module_of_application_code_is_over_600_lines():
    too_long = {
        str(path.relative_to(ROOT)): length
        for package in ("glossary", "kb")
        for path in python_files(package)
        if (length := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not too_long


def test_the_site_package_holds_no_app_of_its_own():
    """Articles, NPS and shared parts live in their apps; kb/ keeps only the site's wiring."""
    names = {path.name for path in site_package_modules()}
    assert not names & {"models.py", "admin.py", "translation.py"}
    assert not any(name.startswith(("nps", "article")) for name in names)
