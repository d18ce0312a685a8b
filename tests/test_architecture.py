"""The layout's rules: import-linter contracts (pyproject.toml), no import cycles, small modules."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import re
from pathlib import Path

import grimp
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("cine_core", "worker", "ui", "pages")
MAX_MODULE_LINES = 300  # a module's Python plus its sidecar .sql
CONCERN_LINES = {  # modules whose one concern is longer: Python + SQL as measured when the SQL began to count
    "cine_core/jobs/refresh_queue.py": 520,  # the queue: enqueue, claim, lease, finish, defer, release (275 + 224)
    "cine_core/app/dashboard.py": 420,  # the dashboard's state, picks and cards in one round trip, and its faces
                                        # for the pages (268 + 150)
}
NO_FACE_YET: list[str] = []
# `db.transaction` is the old name of `db.service_transaction`: it hid that the block runs with service rights.
# Product modules still saying it (owned by others when the name changed): none may join; take one off once renamed.
OLD_SERVICE_NAME = {
    "cine_core/alerts/checks.py", "cine_core/alerts/push.py", "cine_core/films/cache.py",
    "cine_core/films/catalog_loader.py", "cine_core/jobs/heartbeat.py", "cine_core/recommend/claude_verdicts.py",
    "cine_core/recommend/pipeline.py", "cine_core/recommend/verdict_batches.py", "worker/jobs.py", "worker/loop.py",
    "worker/pulse.py", "worker/wakeup.py",
}
UI_ALLOWED = ("cine_core.app", "cine_core.domain", "cine_core.config", "cine_core.memory")
TRANSACTIONS = {"user_transaction", "service_transaction", "app_transaction", "transaction", "connection"}


def test_import_contracts_hold():
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


def test_no_module_level_import_cycles():
    graph = grimp.build_graph(*PACKAGES)
    cycles = set()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            if graph.chain_exists(importer=imported, imported=module):
                cycles.add(tuple(sorted((module, imported))))
    assert not cycles, f"import cycles: {sorted(cycles)}"


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # `cine_core.app.dashboard.Card`: a name in a module, not a module
        return False


def _library_imports(path: Path) -> set[str]:
    """The cine_core modules a file imports: `from cine_core.chat import turns` is cine_core.chat.turns,
    `from cine_core.chat import talk` is cine_core.chat."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "cine_core":
            for alias in node.names:
                module = f"{node.module}.{alias.name}"
                found.add(module if _is_module(module) else node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("cine_core")}
    return found


def _through_a_face(module: str) -> bool:
    return module == "cine_core.chat" or any(module == face or module.startswith(face + ".") for face in UI_ALLOWED)


def test_app_script_pages_and_ui_reach_the_library_only_through_its_faces():
    """The whole rule, not a list of what is forbidden: cine_core.app's modules, chat's face (never its modules),
    domain, config, and memory (the warm-up's gc.freeze); nothing else of cine_core."""
    assert _library_imports(ROOT / "app.py"), "app.py should use the library"
    sources = [ROOT / "app.py"] + [p for pkg in ("pages", "ui") for p in (ROOT / pkg).rglob("*.py")]
    beyond = {f"{p.relative_to(ROOT)}: {m}" for p in sources for m in _library_imports(p) if not _through_a_face(m)}
    assert beyond == set()


def test_the_face_rule_sees_a_module_behind_a_face(tmp_path):
    page = tmp_path / "page.py"
    page.write_text("from cine_core import chat\nfrom cine_core.chat import turns, talk\nfrom cine_core.app.dashboard import Card\n"
                    "import cine_core.taste.store\n")
    assert {m for m in _library_imports(page) if not _through_a_face(m)} == {"cine_core.chat.turns",
                                                                              "cine_core.taste.store"}


def _transactions(path: Path) -> set[str]:
    """The transaction (or raw connection) names a module imports, calls or reads as an attribute."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            found |= {alias.name for alias in node.names if alias.name in TRANSACTIONS}
        elif isinstance(node, ast.Name) and node.id in TRANSACTIONS:
            found.add(node.id)
        elif isinstance(node, ast.Attribute) and node.attr in TRANSACTIONS:
            found.add(node.attr)
    return found


def test_pages_and_ui_open_no_transaction():
    """A page or widget calls one face per concern in cine_core.app (it opens the user transaction and returns
    frozen dataclasses); none opens a transaction or takes a connection itself."""
    sources = [p for pkg in ("pages", "ui") for p in (ROOT / pkg).rglob("*.py")] + [ROOT / "app.py"]
    opening = {str(p.relative_to(ROOT)): sorted(found) for p in sources if (found := _transactions(p))}
    assert opening == {}


def test_the_transaction_rule_sees_a_transaction(tmp_path):
    page = tmp_path / "page.py"
    page.write_text("from cine_core.app.services import user_transaction\nwith pool.connection() as conn:\n    pass\n")
    assert _transactions(page) == {"user_transaction", "connection"}


def _lines(path: Path) -> int:
    """A module's lines with its sidecar SQL (refresh_queue.py + refresh_queue.sql are one concern)."""
    sidecar = path.with_suffix(".sql")
    return len(path.read_text().splitlines()) + (len(sidecar.read_text().splitlines()) if sidecar.exists() else 0)


def test_modules_stay_small_and_there_is_no_grab_bag():
    """300 lines of Python and its named SQL per module, unless its one concern needs more (CONCERN_LINES, a
    limit of its own, so it cannot grow unnoticed either); function size and complexity are ruff's (test_lint)."""
    sources = [p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")]
    too_long = {name: n for p in sources
                if (n := _lines(p)) > CONCERN_LINES.get(name := str(p.relative_to(ROOT)), MAX_MODULE_LINES)}
    assert not too_long
    assert not [p for p in sources if p.stem in {"utils", "helpers", "misc", "common"}]


def test_every_package_names_its_public_surface():
    """Each package's __init__ has an `__all__` (its public modules or names) and every name in it exists."""
    missing, unknown = [], []
    for init in sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("__init__.py")):
        package = ".".join(init.parent.relative_to(ROOT).parts)
        module = importlib.import_module(package)
        if not hasattr(module, "__all__"):
            missing.append(package)
            continue
        for name in module.__all__:
            if not hasattr(module, name) and importlib.util.find_spec(f"{package}.{name}") is None:
                unknown.append(f"{package}.{name}")
    assert missing == NO_FACE_YET, missing
    assert not unknown


def _says_the_old_service_name(path: Path) -> bool:
    tree = ast.parse(path.read_text())
    return any(isinstance(node, ast.ImportFrom) and node.module in ("cine_core.db", "cine_core.db.pool")
               and any(alias.name == "transaction" for alias in node.names) for node in ast.walk(tree)) or (
        "db.transaction(" in path.read_text())


def test_service_rights_are_named_service_transaction():
    """A block with service rights says so at its call site: no new module uses the old `transaction` name."""
    sources = [p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py") if p.name != "__init__.py"]
    saying = {str(p.relative_to(ROOT)) for p in sources if _says_the_old_service_name(p)}
    assert saying <= OLD_SERVICE_NAME, sorted(saying - OLD_SERVICE_NAME)


def test_a_private_module_is_imported_only_inside_its_package():
    """`pkg/_name.py` is internal to `pkg` (LensKit's manners): other packages use `pkg`'s face (its __init__)."""
    graph = grimp.build_graph(*PACKAGES)
    outside = sorted(
        f"{importer} -> {module}" for module in graph.modules if module.rsplit(".", 1)[-1].startswith("_")
        and not module.endswith("__main__")
        for importer in graph.find_modules_that_directly_import(module)
        if not importer.startswith(module.rsplit(".", 1)[0] + "."))
    assert outside == []


WRITES = re.compile(r"\b(insert\s+into|update\s+\S+\s+set|delete\s+from|request_refresh|enqueue_refresh)\b")


def _writes(sql: str) -> bool:
    """A query that changes rows anywhere in it (a CTE's insert included), or asks for a refresh."""
    return bool(WRITES.search(" ".join(line for line in sql.lower().splitlines() if not line.lstrip().startswith("--"))))


def test_app_functions_that_take_a_connection_only_read():
    """cine_core.app's rule (its __init__): a write takes the pool and opens its own transaction; a function taking
    `conn` is a piece of a page's read. Checked on the named queries each such function runs."""
    from cine_core.db import sql_queries

    writing = []
    for path in sorted((ROOT / "cine_core" / "app").glob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        queries = sql_queries(module) if path.with_suffix(".sql").exists() else {}
        for node in ast.parse(path.read_text()).body:
            if not (isinstance(node, ast.FunctionDef) and node.args.args and node.args.args[0].arg == "conn"):
                continue
            names = {call.args[1].value for call in ast.walk(node) if isinstance(call, ast.Call)
                     and getattr(call.func, "id", "") == "load_sql" and len(call.args) == 2
                     and isinstance(call.args[1], ast.Constant)}
            called = {getattr(c.func, "id", getattr(c.func, "attr", "")) for c in ast.walk(node) if isinstance(c, ast.Call)}
            if any(_writes(queries[n]) for n in names) or "request_refresh" in called:
                writing.append(f"{module}.{node.name}")
    assert writing == []


REEXPORTS_LEFT = {"worker/loop.py"}  # WorkerOptions & co. from worker/options.py (debt: import them from there)


def test_no_module_but_a_face_re_exports():
    """Names are imported from where they are defined; only a package's __init__ (its face) gathers them.
    An import kept unused for others to take (`noqa: F401`) elsewhere is a pass-through module."""
    sources = [p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py") if p.name != "__init__.py"]
    passing = {str(p.relative_to(ROOT)) for p in sources if "noqa: F401" in p.read_text()}
    assert passing <= REEXPORTS_LEFT, sorted(passing - REEXPORTS_LEFT)


CACHING = ("cache", "lru_cache", "process_wide", "cache_resource", "cache_data")  # decorators that keep a value
CACHE_CLASSES = ("VersionedCache", "ParsedRows")  # module-level instances of these are caches too


def _caches(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in node.decorator_list:
                called = decorator.func if isinstance(decorator, ast.Call) else decorator
                if getattr(called, "attr", getattr(called, "id", "")) in CACHING:
                    found.append(node.name)
    for node in tree.body:
        value = node.value if isinstance(node, ast.Assign | ast.AnnAssign) else None
        if isinstance(value, ast.Call) and getattr(value.func, "id", "") in CACHE_CLASSES:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found += [t.id for t in targets if isinstance(t, ast.Name)]
    return found


def test_every_cache_is_in_the_caching_table():
    """docs/caching.md has every cache (scope, lifetime, size, invalidation): a new one not named there fails."""
    table = (ROOT / "docs" / "caching.md").read_text()
    sources = [p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")]
    unnamed = [f"{p.relative_to(ROOT)}:{name}" for p in sources for name in _caches(p) if f"`{name}`" not in table]
    assert unnamed == []


# tests/cine_core/ mirrors cine_core: a package's tests sit in its folder (tests/cine_core/<package>/), a top-level
# module's (config.py, memory.py) beside the folders. Files written before their package's folder existed (debt:
# each moves into its folder when next touched; none may join):
LOOSE_TESTS = {
    "test_candidates.py", "test_catalog.py", "test_chat.py", "test_claude_matcher.py", "test_cli.py",
    "test_embedded.py", "test_extract.py", "test_importers.py", "test_llm.py", "test_migrations.py",
    "test_movie_store.py", "test_prompt_injection.py", "test_queue.py", "test_reasons.py", "test_rls.py",
    "test_schema_rules.py", "test_scoring.py", "test_scout.py", "test_taste.py", "test_tmdb.py", "test_watch.py",
    "test_wiki.py",
}


def test_library_tests_sit_in_their_packages_folder():
    loose = {p.name for p in (ROOT / "tests" / "cine_core").glob("test_*.py")}
    top_level_modules = {f"test_{p.stem}.py" for p in (ROOT / "cine_core").glob("*.py")}
    assert loose - top_level_modules <= LOOSE_TESTS, sorted(loose - top_level_modules - LOOSE_TESTS)

