"""How the code hangs together: what imports what."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            names.add(base)
            names |= {
                f"{base}.{a.name}" if base.endswith(".") else a.name for a in node.names
            }
    return names


def test_the_extraction_package_imports_no_django():
    code = (
        "import sys; import statements.extraction, statements.extraction.pipeline; "
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == "[]"


def test_the_models_and_count_tables_import_no_write_or_count_code():
    for module in ("models.py", "count_tables.py"):
        names = imported_modules(ROOT / "statements" / module)
        for forbidden in ("counting", "corrections", "signals", "cache"):
            assert not any(forbidden in n.split(".") for n in names), (module, names)


def test_no_migration_imports_the_apps_code():
    for path in (ROOT / "statements" / "migrations").glob("0*.py"):
        names = imported_modules(path)
        assert not any(n.startswith("statements") for n in names), (path.name, names)
