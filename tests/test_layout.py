"""The project keeps its shape: a Slack-free core, thin handlers, one catalog, manifest and code in step."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import yaml

from bot.catalog import CATALOGS
from handlers import SURFACES

ROOT = Path(__file__).resolve().parent.parent


def python_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def test_core_never_imports_slack_or_http() -> None:
    for path in python_files("bot"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else ([node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            )
            for name in names:
                assert not name.startswith(("slack_sdk", "slack_bolt", "waitress", "adapters", "handlers")), (
                    f"{path.relative_to(ROOT)} imports {name}"
                )


def test_only_config_reads_the_environment() -> None:
    """Config is read once; only bot/config/ and command-line entry points look at the environment."""
    for path in python_files("bot"):
        if path.parent.name == "config" or path.name == "__main__.py":
            continue
        assert not re.search(r"os\.environ|getenv", path.read_text()), path


def test_every_handler_module_registers_and_is_listed() -> None:
    modules = {p.stem for p in (ROOT / "handlers").glob("*.py") if p.stem != "__init__"}
    assert modules == {m.__name__.split(".")[-1] for m in SURFACES}
    for module in SURFACES:
        assert callable(module.register)


def test_handlers_hold_no_block_kit_literals() -> None:
    for path in python_files("handlers"):
        assert '"type": "section"' not in path.read_text() and '"blocks"' not in path.read_text(), path


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    en, de = CATALOGS["en"], CATALOGS["de"]
    assert set(en) == set(de), set(en) ^ set(de)
    for key in en:
        assert set(re.findall(r"{(\w+)}", en[key])) == set(re.findall(r"{(\w+)}", de[key])), key


def test_manifest_command_has_a_handler_and_help() -> None:
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text())
    commands = [c["command"] for c in manifest["features"]["slash_commands"]]
    from handlers.commands import COMMAND

    assert commands == [COMMAND]
    for language in CATALOGS.values():
        assert COMMAND in language["help.text"]
