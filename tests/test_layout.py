"""The architecture rules of the team guide, checked on the source itself.

The imports of every module of monitoring/ and reputation/ are read with ``ast`` (imports
inside functions included, because a lazy import is still a dependency) and:

- no ``monitoring`` module imports ``reputation`` (the collector never knows the product);
- modules do not import each other in a cycle, imports inside functions included: a lazy
  import still is a dependency, it only hides the cycle from Python;
- no function imports one of our modules: code lives where its dependencies point, Celery
  tasks are at the edge (services enqueue by name, never import a tasks module), and the
  few imports that must wait for Django (an AppConfig.ready) are listed in
  LAZY_IMPORTS_ALLOWED with their reason;
- no module passes 600 lines;
- no folder holds more than 15 modules. Counted: the .py files of the folder itself, without
  ``__init__.py`` (it names the package, it is not a stage of it), and without migrations/
  and management/commands/ (their size is set by Django, not by our design);
- the Django-free stages (net, parse, matching, sentiment, and the normalise and types
  modules below them) stay Django-free: they may read ``django.conf.settings`` and
  translate with ``django.utils.translation``, nothing else of Django (no models, no ORM,
  no request), so they run and test without a database.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("monitoring", "reputation")
MAX_LINES = 600
MAX_MODULES = 15
SKIPPED_FOLDERS = ("migrations", "management/commands")
DJANGO_FREE = (
    "monitoring.net",
    "monitoring.parse",
    "monitoring.matching",
    "monitoring.sentiment",
    "monitoring.normalise",
    "monitoring.types",
)
DJANGO_ALLOWED = ("django.conf.settings", "django.utils.translation")
# Module -> Django modules it may import on top of DJANGO_ALLOWED, each with its reason.
DJANGO_EXCEPTIONS: dict[str, dict[str, str]] = {}
# "module:function" -> why it imports our modules in its body instead of at the top.
LAZY_IMPORTS_ALLOWED: dict[str, str] = {
    "reputation.apps:ready": "an AppConfig imports what imports models only in ready(), "
    "once every app is loaded: the login throttle's hooks",
    "reputation.names.apps:ready": "same reason: the matcher version's receivers",
    "reputation.replies.apps:ready": "same reason: the receiver that forgets the "
    "response figures kept for an organisation when one of its mentions is triaged",
    "reputation.api.apps:ready": "same reason: the API key scheme registered with "
    "drf-spectacular (its module imports the authentication class, which imports models)",
    "reputation.mentions.apps:ready": "same reason: the collector's consumer (the mention "
    "finder), its receiver, and the tasks that services queue by name",
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            found[_module_name(path)] = path
    return found


MODULES = _modules()


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    """The absolute dotted name an ImportFrom refers to."""
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if path.name != "__init__.py":
        base = base[:-1]  # a plain module's package is its parent
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _names(module: str, path: Path, node: ast.AST) -> set[str]:
    """Dotted names one import statement imports; ``from a import b`` gives ``a.b`` (b
    may be a submodule or a name inside a: _local_target tells which for our modules)."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names}
    if isinstance(node, ast.ImportFrom):
        target = _resolve(module, path, node)
        return {f"{target}.{alias.name}" for alias in node.names}
    return set()


def _imports(module: str, path: Path, *, top_level_only: bool) -> set[str]:
    """Dotted names imported by a module: at import time only, or anywhere in it (function
    bodies included, ``if TYPE_CHECKING:`` blocks excluded: they never run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    nodes = _top_level(tree.body) if top_level_only else _all_run(tree)
    return {name for node in nodes for name in _names(module, path, node)}


def _all_run(tree: ast.Module) -> list[ast.AST]:
    """Every node of the module but those under ``if TYPE_CHECKING:``."""
    skipped = {
        id(node)
        for stmt in ast.walk(tree)
        if isinstance(stmt, ast.If) and "TYPE_CHECKING" in ast.unparse(stmt.test)
        for block in stmt.body
        for node in ast.walk(block)
    }
    return [node for node in ast.walk(tree) if id(node) not in skipped]


def _lazy_imports(module: str, path: Path) -> dict[str, set[str]]:
    """ "module:function" -> our modules imported inside that function's body."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: dict[str, set[str]] = {}

    def visit(node: ast.AST, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, function or child.name)
                continue
            if function is not None:
                ours = {n for n in _names(module, path, child) if _local_target(n)}
                if ours:
                    found.setdefault(f"{module}:{function}", set()).update(ours)
            visit(child, function)

    visit(tree, None)
    return found


def _top_level(body: list[ast.stmt]) -> list[ast.stmt]:
    """Statements run at import time: the module body, including if/try blocks, but
    not function bodies. ``if TYPE_CHECKING:`` blocks never run, so they are left out."""
    nodes = []
    for stmt in body:
        if isinstance(stmt, ast.If) and "TYPE_CHECKING" in ast.unparse(stmt.test):
            nodes.extend(_top_level(stmt.orelse))
        elif isinstance(stmt, ast.If):
            nodes.extend(_top_level(stmt.body) + _top_level(stmt.orelse))
        elif isinstance(stmt, ast.Try):
            for block in (stmt.body, stmt.orelse, stmt.finalbody):
                nodes.extend(_top_level(block))
            for handler in stmt.handlers:
                nodes.extend(_top_level(handler.body))
        elif isinstance(stmt, ast.With | ast.ClassDef):
            nodes.extend(_top_level(stmt.body))
        elif not isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
            nodes.append(stmt)
    return nodes


def _is_under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _local_target(name: str) -> str | None:
    """The module of ours an imported name lands in: the name itself, or the nearest
    package above it (``import a.b.c`` also runs ``a`` and ``a.b``, but only the deepest
    is the dependency that matters for cycles)."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def _graph(*, top_level_only: bool = False) -> dict[str, set[str]]:
    graph = {}
    for module, path in MODULES.items():
        targets = set()
        for name in _imports(module, path, top_level_only=top_level_only):
            target = _local_target(name)
            if target and target != module:
                targets.add(target)
        graph[module] = targets
    return graph


def _find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules (first == last), or None."""
    WHITE, GREY, BLACK = 0, 1, 2
    colour = dict.fromkeys(graph, WHITE)
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        colour[node] = GREY
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if colour.get(nxt) == GREY:
                return [*stack[stack.index(nxt) :], nxt]
            if colour.get(nxt) == WHITE:
                cycle = visit(nxt)
                if cycle:
                    return cycle
        stack.pop()
        colour[node] = BLACK
        return None

    for node in sorted(graph):
        if colour[node] == WHITE:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def test_it_reads_the_modules():
    # A guard against a checker that silently checks nothing.
    assert "monitoring.net.fetch" in MODULES
    assert "reputation.mentions.finder" in MODULES
    assert "monitoring.types" in _graph(top_level_only=True)["monitoring.net.fetch"]


def test_it_keeps_monitoring_free_of_reputation():
    offenders = [
        f"{module} imports {name}"
        for module, path in MODULES.items()
        if _is_under(module, "monitoring")
        for name in _imports(module, path, top_level_only=False)
        if _is_under(name, "reputation")
    ]
    assert offenders == []


def test_it_has_no_import_cycle():
    # Over every import, those inside functions included: a lazy import hides a cycle
    # from Python, not from the design.
    cycle = _find_cycle(_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_it_has_no_function_level_import_of_our_modules():
    found = {}
    for module, path in MODULES.items():
        found.update(_lazy_imports(module, path))
    unexplained = {where: sorted(names) for where, names in found.items()}
    for where in LAZY_IMPORTS_ALLOWED:
        unexplained.pop(where, None)
    assert unexplained == {}
    # Every allowance still matches an import: a stale one would hide a new import.
    assert sorted(set(LAZY_IMPORTS_ALLOWED) - set(found)) == []


def test_it_sees_function_level_imports(tmp_path):
    # A guard against a checker that silently finds nothing.
    path = tmp_path / "lazy.py"
    path.write_text(
        "import os\n"
        "def f():\n"
        "    from reputation.mentions import finder\n"
        "    import json\n"
        "class C:\n"
        "    def g(self):\n"
        "        def h():\n"
        "            import monitoring.net.fetch\n"
    )
    assert _lazy_imports("x.lazy", path) == {
        "x.lazy:f": {"reputation.mentions.finder"},
        "x.lazy:g": {"monitoring.net.fetch"},
    }


def test_it_finds_a_cycle_when_there_is_one():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _find_cycle(graph) == ["a", "b", "c", "a"]
    assert _find_cycle({"a": {"b"}, "b": set()}) is None


def test_it_keeps_modules_under_the_line_limit():
    too_long = {
        module: n
        for module, path in MODULES.items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert too_long == {}


def test_it_keeps_folders_small():
    crowded = {}
    for package in PACKAGES:
        for folder in [ROOT / package, *(ROOT / package).rglob("*/")]:
            if not folder.is_dir() or "__pycache__" in folder.parts:
                continue
            rel = folder.relative_to(ROOT).as_posix()
            if any(rel.endswith(skipped) for skipped in SKIPPED_FOLDERS):
                continue
            count = len([p for p in folder.glob("*.py") if p.name != "__init__.py"])
            if count > MAX_MODULES:
                crowded[rel] = count
    assert crowded == {}


@pytest.mark.parametrize("stage", DJANGO_FREE)
def test_it_keeps_the_engine_stages_free_of_django(stage):
    offenders = []
    for module, path in MODULES.items():
        if not _is_under(module, stage):
            continue
        allowed = (*DJANGO_ALLOWED, *DJANGO_EXCEPTIONS.get(module, {}))
        for name in _imports(module, path, top_level_only=False):
            if _is_under(name, "django") and not any(_is_under(name, ok) for ok in allowed):
                offenders.append(f"{module} imports {name}")
    assert sorted(offenders) == []


def _own_shared_skips(path: Path) -> list[str]:
    """Skips a test module writes itself about shared data (instead of tests/shared.py)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        is_skip = ast.unparse(node.func).endswith(("skip", "skipif"))
        if is_skip and "shared" in ast.unparse(node).lower():
            found.append(f"{path.name}:{node.lineno}")
    return found


def test_it_skips_on_missing_shared_data_through_one_helper():
    tests = sorted((ROOT / "tests").rglob("test_*.py"))
    assert [hit for path in tests for hit in _own_shared_skips(path)] == []
    sources = {p.name: p.read_text(encoding="utf-8") for p in tests}
    readers = [name for name, text in sources.items() if "shared_data" in text]
    assert "test_feeds.py" in readers  # the check does see the modules that read shared data
    assert [name for name in readers if "from tests.shared import" not in sources[name]] == []


def test_it_names_every_test_test_it():
    odd = [
        f"{path.name}:{node.name}"
        for path in sorted((ROOT / "tests").rglob("test_*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test")
        and not node.name.startswith("test_it_")
    ]
    assert odd == []
