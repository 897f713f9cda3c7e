"""One catalog for every word the bot shows: rendering code writes no text of its own, and the catalog formats
dates, durations and numbers the way each language writes them."""

from __future__ import annotations

import ast
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.catalog import CATALOGS, SUBCOMMANDS, Catalog
from bot.config import parse_config
from bot.services.bundle import build_services
from bot.services.commands import parse
from bot.services.lifecycle import Draft
from bot.store.tinydb_store import TinyDBStore

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("bot/rendering", "bot/services")

# Where a call puts text in front of people: (positional indexes, keyword names). Methods count by their name.
VISIBLE_ARGS: dict[str, tuple[tuple[int, ...], tuple[str, ...]]] = {
    "plain": ((0,), ("text",)),
    "md": ((0,), ("text",)),
    "section": ((0,), ("text",)),
    "header": ((0,), ("text",)),
    "context": ((0,), ("text",)),
    "button": ((0,), ("text",)),
    "link_button": ((0,), ("text",)),
    "fields": ((0,), ("pairs",)),
    "_titled_fields": ((0, 1), ("title", "pairs")),
    "listing": ((0, 2), ("title", "line", "pointer", "empty")),
    "text_input": ((1,), ("label", "placeholder")),
    "_select": ((1,), ("label",)),
    "_modal": ((1, 2), ("title", "submit")),
    "post": ((1,), ("text",)),
    "thread": ((1,), ("text",)),
    "ephemeral": ((2,), ("text",)),
    "update": ((2,), ("text",)),
    "talk_effect": ((3,), ("text",)),
    "upload": ((3, 4), ("title", "comment")),  # file names keep ISO dates, so they sort
    "Effect": ((), ("text",)),
    "Outcome": ((2,), ("reply",)),
    "refused": ((0,), ("reply",)),
    "Reply": ((0,), ("text",)),
    "writerow": ((0,), ()),  # only a literal row or a name: cells keep ISO times and plain numbers
    "ChartLabels": (
        tuple(range(8)),
        ("title", "filed", "resolved", "claim_title", "hours", "days", "weeks", "claim_values"),
    ),
}
# Calls whose argument is a mapping of field → message (every value is shown).
MAPPING_ARGS: dict[str, tuple[tuple[int, ...], tuple[str, ...]]] = {
    "invalid": ((0,), ("errors",)),
    "Outcome": ((), ("errors",)),
}
# Calls checked only for literal rows: a CSV's header is text, its cells are data for spreadsheets.
SHALLOW = {"writerow"}
# Keys of Block Kit objects whose value people read.
VISIBLE_KEYS = {"text", "title", "label", "placeholder", "submit", "close", "alt_text"}
# The catalog: t(key, **params) takes a key (not shown) and parameters (shown); the formatters take data.
CATALOG_TEXT = {"t"}
CATALOG_FORMATTERS = {"word", "has", "duration", "ago", "since", "span", "when", "date", "day", "number", "percent"}
# Calls that only pass text through (cut, escape, joins …): what goes in is what is shown.
TRANSPARENT = {
    "cut", "escape", "one_line", "clean", "user_text", "join", "strip", "lstrip", "rstrip", "split", "upper", "lower",
    "capitalize", "title", "tuple", "list", "sorted", "reversed",
}  # fmt: skip
# Calls that format a figure or a date by hand; shown to people they bypass the catalog's Babel formatting.
BY_HAND = {"str", "len", "round", "format", "strftime", "isoformat", "format_date", "format_datetime", "format_decimal"}

EMOJI = re.compile(r":[a-z0-9_+'-]+:")
MARKUP = re.compile(r"<[@#!][^>]*>|https?://\S+")
IDENTIFIER = re.compile(r"[a-z0-9]+(?:[_.:][a-z0-9]+)+|[UCGDWST][A-Z0-9]{2,}")


def technical(text: str) -> bool:
    """Ids, emoji codes, mentions, links, paths, markup, punctuation and whitespace: nothing to translate."""
    rest = MARKUP.sub("", EMOJI.sub("", text))
    if IDENTIFIER.fullmatch(rest.strip()):
        return True
    if "/" in rest and not any(c.isspace() for c in rest):  # a piece of a URL or path
        return True
    return not any(c.isalpha() for c in rest)


def call_name(call: ast.Call) -> str:
    """`section` for section(...), self.render.section(...) and the like."""
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


@dataclass
class Module:
    """One parsed source file, with what the checker needs to follow names and helpers."""

    path: str
    tree: ast.Module
    parents: dict[int, ast.AST] = field(default_factory=dict)
    functions: dict[str, list[ast.FunctionDef]] = field(default_factory=dict)
    assigned: dict[int, dict[str, list[ast.expr]]] = field(default_factory=dict)


def own_nodes(scope: ast.AST) -> Iterator[ast.AST]:
    """The nodes of a scope, without the bodies of functions and lambdas defined inside it."""
    todo = list(ast.iter_child_nodes(scope))
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            todo.extend(ast.iter_child_nodes(node))


def assignments(scope: ast.AST) -> dict[str, list[ast.expr]]:
    """What each local name may hold: plain, annotated, augmented and item assignments, appends and extends."""
    found: dict[str, list[ast.expr]] = {}

    def note(target: ast.expr, value: ast.expr) -> None:
        """Remember that `target` may hold `value` (x = …, x[k] = …, a, b = c, d)."""
        if isinstance(target, ast.Name):
            found.setdefault(target.id, []).append(value)
        elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
            found.setdefault(target.value.id, []).append(value)
        elif isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple) and len(target.elts) == len(value.elts):
            for one, other in zip(target.elts, value.elts, strict=True):
                note(one, other)

    for node in own_nodes(scope):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                note(target, node.value)
        elif isinstance(node, ast.AnnAssign | ast.AugAssign) and node.value is not None:
            note(node.target, node.value)
        elif isinstance(node, ast.For):
            note(node.target, node.iter)  # an item of what it loops over
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("append", "extend", "insert")
            and isinstance(node.func.value, ast.Name)
            and node.args
        ):
            found.setdefault(node.func.value.id, []).append(node.args[-1])
    return found


def load(path: str, source: str) -> Module:
    """Parse a file and index its functions, scopes and assignments."""
    tree = ast.parse(source)
    module = Module(path, tree)
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            module.parents[id(child)] = node
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            module.functions.setdefault(node.name, []).append(node)  # type: ignore[arg-type]
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            module.assigned[id(node)] = assignments(node)
    return module


class Checker:
    """Finds text written straight into what people see, instead of taken from the catalog."""

    def __init__(self, modules: list[Module]) -> None:
        self.modules = modules
        self.owner: dict[int, Module] = {id(n): m for m in modules for n in ast.walk(m.tree)}
        self.problems: list[str] = []
        self._seen: set[int] = set()

    def run(self) -> list[str]:
        """Every problem in every module, as 'path:line: what'."""
        for module in self.modules:
            self._check_module(module)
        return sorted(set(self.problems))

    def _check_module(self, module: Module) -> None:
        """Visible arguments of calls, visible keys of dicts, and what text-returning renderers return."""
        for node in ast.walk(module.tree):
            if isinstance(node, ast.Call):
                self._check_call_site(node)
            elif isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value in VISIBLE_KEYS:
                        self.visible(value)
            elif isinstance(node, ast.FunctionDef) and "/rendering/" in module.path and self._returns_text(node):
                for ret in self._returns(node):
                    self.visible(ret)

    def _check_call_site(self, call: ast.Call) -> None:
        """The arguments a call shows to people."""
        name = call_name(call)
        for table, check in ((VISIBLE_ARGS, self.visible), (MAPPING_ARGS, self.mapping)):
            if name not in table:
                continue
            positions, keywords = table[name]
            for index in positions:
                if index < len(call.args) and not (name in SHALLOW and isinstance(call.args[index], ast.Call)):
                    check(call.args[index])
            for keyword in call.keywords:
                if keyword.arg in keywords:
                    check(keyword.value)

    @staticmethod
    def _returns_text(function: ast.FunctionDef) -> bool:
        """A renderer method annotated to return text (or text with blocks)."""
        annotation = ast.unparse(function.returns) if function.returns else ""
        return bool(re.match(r"(str\b|tuple\[str\b)", annotation))

    @staticmethod
    def _returns(function: ast.FunctionDef) -> list[ast.expr]:
        """The values a function returns (not those of functions inside it)."""
        return [n.value for n in own_nodes(function) if isinstance(n, ast.Return) and n.value is not None]

    def _flag(self, node: ast.AST, what: str) -> None:
        """Record a problem at a node."""
        module = self.owner.get(id(node))
        where = module.path if module else "?"
        self.problems.append(f"{where}:{getattr(node, 'lineno', 0)}: {what}")

    def mapping(self, node: ast.AST) -> None:
        """A mapping whose every value is shown (form errors, catalog parameters), followed like text is."""
        if isinstance(node, ast.Dict):
            for value in node.values:
                self.visible(value)
        elif isinstance(node, ast.Name):
            for value in self._lookup(node):
                self.mapping(value)
        elif isinstance(node, ast.IfExp | ast.BoolOp):
            for part in self._parts(node):
                self.mapping(part)
        elif isinstance(node, ast.Call) and call_name(node) not in CATALOG_TEXT | CATALOG_FORMATTERS | BY_HAND:
            for function in self._resolve(node):
                for ret in self._returns(function):
                    self.mapping(ret)
        else:
            self.visible(node)

    def visible(self, node: ast.AST | None) -> None:
        """Everything that ends up in text people read, followed through names, helpers and f-strings."""
        if node is None or id(node) in self._seen:
            return
        self._seen.add(id(node))
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str) and not technical(node.value):
                self._flag(node, f"text {node.value!r} does not come from the catalog")
        elif isinstance(node, ast.JoinedStr):
            self._joined(node)
        elif isinstance(node, ast.Call):
            self._call(node)
        elif isinstance(node, ast.Name):
            for value in self._lookup(node):
                self.visible(value)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if key is None or not isinstance(key, ast.Constant) or key.value in VISIBLE_KEYS:
                    self.visible(value)
        else:
            for child in self._parts(node):
                self.visible(child)

    @staticmethod
    def _parts(node: ast.AST) -> list[ast.AST]:
        """The pieces of an expression that become part of its text."""
        if isinstance(node, ast.BinOp):
            return [node.left, node.right]
        if isinstance(node, ast.BoolOp):
            return list(node.values)
        if isinstance(node, ast.IfExp):
            return [node.body, node.orelse]
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            return list(node.elts)
        if isinstance(node, ast.ListComp | ast.GeneratorExp | ast.SetComp):
            return [node.elt]
        if isinstance(node, ast.Starred | ast.Subscript):
            return [node.value]
        if isinstance(node, ast.Lambda):
            return [node.body]
        return []

    def _joined(self, node: ast.JoinedStr) -> None:
        """An f-string: its literal pieces are checked; what follows "<", "<@" or "<#" is a link or a mention."""
        previous = ""
        for part in node.values:
            if isinstance(part, ast.Constant):
                previous = str(part.value)
                if not technical(previous):
                    self._flag(part, f"text {previous!r} does not come from the catalog")
            elif isinstance(part, ast.FormattedValue):
                if part.format_spec is not None:
                    self._flag(part, "a value formatted by hand (format spec); use the catalog's number/percent/date")
                if not re.search(r"<[@#!]?$", previous):  # a link target or a mention
                    self.visible(part.value)
                previous = ""

    def _call(self, call: ast.Call) -> None:
        """A call whose result is shown: the catalog, a text pass-through, hand formatting, or a helper to follow."""
        name = call_name(call)
        func = call.func
        if name in CATALOG_TEXT:
            for keyword in call.keywords:
                self.mapping(keyword.value) if keyword.arg is None else self.visible(keyword.value)
            return
        if name in CATALOG_FORMATTERS or name in VISIBLE_ARGS:
            return  # data in, formatted text out / checked where it is called
        if name in BY_HAND:
            self._flag(call, f"{name}(...) shown to people; format it with the catalog (number, date, when …)")
            return
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Constant):
            self.visible(func.value)  # ", ".join(...) or "… {}".format(...)
            name = name if name in TRANSPARENT else "join"
        if name in TRANSPARENT:
            if isinstance(func, ast.Attribute) and not isinstance(func.value, ast.Constant):
                self.visible(func.value)
            for argument in [*call.args, *(k.value for k in call.keywords)]:
                self.visible(argument)
            return
        for function in self._resolve(call):
            for ret in self._returns(function):
                self.visible(ret)

    def _resolve(self, call: ast.Call) -> list[ast.FunctionDef]:
        """The functions a call may reach: same module for f() and self.f(), any scanned module for x.f()."""
        module = self.owner.get(id(call))
        func = call.func
        if module is None:
            return []
        if isinstance(func, ast.Name) or (
            isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "self"
        ):
            return module.functions.get(call_name(call), [])
        if isinstance(func, ast.Attribute):
            return [f for m in self.modules for f in m.functions.get(func.attr, [])]
        return []

    def _lookup(self, name: ast.Name) -> list[ast.expr]:
        """What a name may hold: its assignments, what it loops over, or what the callers pass for it."""
        module = self.owner.get(id(name))
        node: ast.AST | None = name
        while module is not None and node is not None:
            node = module.parents.get(id(node))
            if isinstance(node, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
                loops = [g.iter for g in node.generators if isinstance(g.target, ast.Name) and g.target.id == name.id]
                if loops:
                    return loops
            if isinstance(node, ast.Lambda) and name.id in {a.arg for a in node.args.args}:
                return []  # an item the lambda is given: data, shown through what it is put into
            scope = module.assigned.get(id(node)) if node is not None else None
            if scope and name.id in scope:
                return scope[name.id]
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                passed = self._passed(node, name.id)
                if passed is not None:
                    return passed
        return []

    def _passed(self, function: ast.FunctionDef | ast.AsyncFunctionDef, param: str) -> list[ast.expr] | None:
        """What callers pass for a parameter (and its default); None when `param` is no parameter of it."""
        arguments = function.args
        names = [a.arg for a in [*arguments.posonlyargs, *arguments.args]]
        keyword_only = [a.arg for a in arguments.kwonlyargs]
        if param not in names and param not in keyword_only:
            return None
        defaults = dict(zip(names[len(names) - len(arguments.defaults) :], arguments.defaults, strict=True))
        defaults.update({a: d for a, d in zip(keyword_only, arguments.kw_defaults, strict=True) if d is not None})
        found = [defaults[param]] if param in defaults else []
        offset = 1 if names and names[0] in ("self", "cls") else 0
        index = names.index(param) - offset if param in names else -1
        for call in self._callers(function):
            if 0 <= index < len(call.args) and not any(isinstance(a, ast.Starred) for a in call.args[: index + 1]):
                found.append(call.args[index])
            found.extend(k.value for k in call.keywords if k.arg == param)
        return found

    def _callers(self, function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[ast.Call]:
        """Calls that surely reach a function: f() and self.f() in its own module.

        x.f() elsewhere is left out: without types, another class's method of the same name would pass its
        arguments for this one's (ReporterNotes.escalated is not ReporterRenderer.escalated).
        """
        home = self.owner.get(id(function))
        if home is None:
            return []
        return [
            call
            for call in ast.walk(home.tree)
            if isinstance(call, ast.Call)
            and call_name(call) == function.name
            and (
                isinstance(call.func, ast.Name)
                or (isinstance(call.func, ast.Attribute) and ast.unparse(call.func.value) == "self")
            )
        ]


def scan(files: dict[str, str]) -> list[str]:
    """Run the checker over sources given as {path: text}."""
    return Checker([load(path, source) for path, source in files.items()]).run()


def project_sources() -> dict[str, str]:
    """The rendering and service modules, as the checker sees them."""
    return {
        str(path.relative_to(ROOT)): path.read_text()
        for folder in SCANNED
        for path in sorted((ROOT / folder).glob("*.py"))
    }


# The checker on the project.


def test_rendering_and_services_write_no_text_of_their_own() -> None:
    problems = scan(project_sources())
    assert not problems, "\n".join(problems)


def test_the_checker_sees_every_scanned_module() -> None:
    sources = project_sources()
    assert {"bot/rendering/__init__.py", "bot/services/lifecycle.py", "bot/services/followups.py"} <= set(sources)


# The checker itself: it must fail on text written by hand, and pass on text from the catalog.

BAD = {
    "section label": 'section("Customer")',
    "plain button text": 'plain("Close")',
    "field label": 'fields([("Owner", person)])',
    "header": 'header("Complaint #" + str(number))',
    "f-string": 'section(f"*Owner*: {owner}")',
    "through a variable": 'label = "Customer"\nsection(label)',
    "through an append": 'lines = []\nlines.append("Nobody took it")\nsection("\\n".join(lines))',
    "thread message": 'tx.enqueue(thread(complaint, "Resolved!"))',
    "direct message": 'tx.enqueue(post(user, "Your complaint was resolved", blocks))',
    "private answer": 'tx.enqueue(ephemeral(channel, user, "Only the owner can do that"))',
    "reply": 'Outcome(False, complaint, "Not allowed")',
    "reply keyword": 'Outcome(False, reply="Not allowed")',
    "refusal": 'Outcome.refused("nope")',
    "form error": 'Outcome.invalid({"summary": "Please write a summary."})',
    "form error from a helper": (
        'def _errors(self):\n    return {"to": "Pick someone"}\nOutcome.invalid(self._errors())'
    ),
    "command answer": 'Reply(text="Done")',
    "modal title": 'self._modal(VIEW, "New complaint", t("modal.new.submit"), blocks, "")',
    "input label": 'self.text_input("summary", "Summary")',
    "csv header": 'writer.writerow(["Number", "Filed at"])',
    "csv header from ids": 'COLUMNS = ("number", "filed")\nwriter.writerow(COLUMNS)',
    "block kit text": 'blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "Hello"}})',
    "catalog parameter": 'section(t("list.line", owner="nobody"))',
    "fallback after or": 'section(escape(customer) or "unknown")',
    "format": 'section("{} open".format(count))',
    "helper return": 'def _label(self) -> str:\n    return "Customer"\nsection(self._label())',
    "count by hand": 'section(t("home.mine", count=len(mine)))',
    "number by hand": 'section(f"{share:.1f}")',
    "date by hand": 'section(t("x", when=filed.strftime("%d.%m.%Y")))',
    "upload title": 'upload(user, "complaints.csv", data, "Complaints export")',
    "renderer returns text": 'def status(self) -> str:\n    return "unclaimed"',
}

GOOD = {
    "catalog text": 'section(t("card.details"))',
    "catalog via self": 'header(self.t("card.title", number=complaint.number))',
    "markup around catalog text": "section(f\"*{t('card.details')}*\\n\" + escape(details))",
    "mention and emoji": 'context(f"<@{user}> :tada:")',
    "button id and style": 'button(t("button.resolve"), ACTION_RESOLVE, "1", "primary")',
    "emoji parameter": 'section(t("remind.1", emoji=":raising_hand:", reporter=user))',
    "block kit structure": 'blocks.append({"type": "section", "text": md(text), "block_id": "card_1"})',
    "link": 'link_button(t("button.open_thread"), f"https://slack.com/archives/{c}", "open")',
    "link in mrkdwn": 'section(f"<{link}|#{number}> {title}")',
    "separator": 'section(", ".join(names))',
    "formatted by the catalog": 'fields([(t("card.filed"), catalog.when(filed)), (t("x"), catalog.number(n))])',
    "form error from catalog": 'Outcome.invalid({"summary": t("modal.error.summary_required")})',
    "empty reply": 'Reply(text=outcome.reply or "")',
    "csv header from catalog": 'writer.writerow([t(f"export.col.{c}") for c in COLUMNS])',
    "dash": 'fields([(t("digest.talk.replies"), "—")])',
    "key in a variable": 'key = "home.resolved.line"\nsection(t(key, when=w))',
    "renderer returns an id": 'def value(self) -> str:\n    return f"{number}:{stamp}"',
    "renderer returns a link": 'def link(self) -> str:\n    return f"{self.team_url}archives/{channel}/p{ts}"',
}


@pytest.mark.parametrize("snippet", BAD.values(), ids=list(BAD))
def test_checker_flags_text_written_by_hand(snippet: str) -> None:
    assert scan({"bot/rendering/example.py": snippet}), snippet


@pytest.mark.parametrize("snippet", GOOD.values(), ids=list(GOOD))
def test_checker_accepts_text_from_the_catalog(snippet: str) -> None:
    assert scan({"bot/rendering/example.py": snippet}) == []


def test_checker_names_file_and_line() -> None:
    source = textwrap.dedent(
        """
        def render(self):
            return section(t("ok"))

        def broken(self):
            return plain("Close")
        """
    )
    assert scan({"bot/rendering/example.py": source}) == [
        "bot/rendering/example.py:6: text 'Close' does not come from the catalog"
    ]


# The catalog's own rules.


def test_help_names_only_subcommands_that_route() -> None:
    for language, messages in CATALOGS.items():
        words = re.findall(r"`/complaint (\S+?)[`\s]", messages["help.text"])
        assert words, language
        for word in words:
            if word.startswith("<"):
                continue
            assert word in SUBCOMMANDS, f"{language}: /complaint {word} is in the help but is not routed"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("liste", ("list", "")),
        ("Liste", ("list", "")),
        ("übersicht", ("digest", "")),
        ("Übersicht", ("digest", "")),
        ("Bericht", ("report", "")),
        ("Hilfe", ("help", "")),
        ("bericht", ("report", "")),
        ("hilfe", ("help", "")),
        ("export", ("export", "")),
        ("kunde Müller GmbH", ("customer", "Müller GmbH")),
        ("customer Müller GmbH", ("customer", "Müller GmbH")),
        ("liste der Teile fehlt", ("file", "liste der Teile fehlt")),
    ],
)
def test_german_subcommands_route_like_english_ones(typed: str, expected: tuple[str, str]) -> None:
    assert parse(typed) == expected


def test_german_texts_use_german_typography() -> None:
    for key, text in CATALOGS["de"].items():
        prose = re.sub(r"`[^`]*`", "", text)
        assert '"' not in prose and "'" not in prose, f"{key}: English quotes in German text; use „…“"
        assert prose.count("„") == prose.count("“"), f"{key}: unbalanced „…“"
        assert "..." not in prose, f"{key}: use … instead of ..."


def test_german_texts_call_management_die_geschaeftsleitung_throughout() -> None:
    """One word for one group of people: a bare „Leitung“ could be any lead (or a cable)."""
    for key, text in CATALOGS["de"].items():
        assert not re.search(r"\bLeitung\b", text), f"{key}: „Leitung“ where every other text says „Geschäftsleitung“"


def test_texts_address_people_with_du_never_sie() -> None:
    formal = re.compile(r"\b(Sie|Ihnen|Ihr|Ihre|Ihren|Ihrem|Ihrer)\b")
    for key, text in CATALOGS["de"].items():
        assert not formal.search(text), f"{key}: formal address in a du-form catalog"


@pytest.mark.parametrize("language", ["en", "de"])
def test_texts_call_things_by_the_names_the_forms_show(language: str) -> None:
    """The form from a message asks to check the field by its label; working the 8D is not making its report."""
    words = CATALOGS[language]
    assert words["modal.summary"].casefold() in words["capture.intro"].casefold()
    report = words["eightd.report.kind.full"]  # the PDF made with /complaint 8d
    for key in ("eightd.thread.updated", "timeline.eight_d_updated", "eightd.unclaimed", "resolve.eight_d_missing"):
        assert report not in words[key], f"{key}: saving the 8D form is not making the report"
    missing = words["resolve.eight_d_missing"].format(number=12, missing="D4, D5")
    assert "D4, D5 fehlt" not in missing, "several disciplines: no singular verb"
    if language == "de":  # der 8D: „ihn“ bearbeiten, as „den 8D bearbeiten“ in the help
        assert "ihn bearbeiten" in words["eightd.hint.team"] and "den 8D bearbeiten" in words["help.text"]


def test_catalog_formats_per_language() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    en, de = Catalog("en", berlin), Catalog("de", berlin)
    two_days = timedelta(days=2)
    assert (en.duration(two_days), de.duration(two_days)) == ("2 days", "2 Tage")
    assert (en.span(two_days), de.span(two_days)) == ("2 days", "2 Tagen")
    assert de.span(timedelta(days=62)) == "2 Monaten" and de.span(timedelta(days=21)) == "3 Wochen"
    assert de.span(timedelta(hours=3)) == "3 Stunden" and de.span(-two_days) == "2 Tagen"
    now = datetime(2026, 5, 4, 22, 30, tzinfo=UTC)  # already 5 May in Berlin
    assert de.since(now - two_days, now) == "2 Tagen"
    assert (en.date(now), de.date(now)) == ("5 May 2026", "5. Mai 2026")
    assert (en.day(date(2026, 5, 4)), de.day(date(2026, 5, 4))) == ("4 May", "4. Mai")
    assert (en.number(1234.5), de.number(1234.5)) == ("1,234.5", "1.234,5")
    assert (en.percent(0.25), de.percent(0.25)) == ("25%", "25\xa0%")


DATIVE_AFTER = r"\b(?:seit|nach|in|von|vor|mit|bei|zu)"
NOMINATIVE_PLURAL = r"\d+ (?:Tage|Monate|Jahre)\b"


def effect_texts(effects: list[Any]) -> list[str]:
    """Every text in queued effects: the message text and every text in its blocks."""
    found: list[str] = []

    def walk(value: Any) -> None:
        """Collect "text" fields at any depth of Block Kit."""
        if isinstance(value, dict):
            for key, inner in value.items():
                if key == "text" and isinstance(inner, str):
                    found.append(inner)
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    for effect in effects:
        if effect.text:
            found.append(effect.text)
        walk(effect.blocks or [])
    return found


def test_german_durations_after_a_preposition_are_dative(tmp_path: Path) -> None:
    """Reminders, escalations and the Home over days: 'seit 2 Tagen', never 'seit 2 Tage'."""
    start = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    clock = [start]
    days = {
        "normal": {
            "remind_unclaimed": "1d",
            "escalate_unclaimed": "4d",
            "ask_update": "2d",
            "escalate_quiet": "3d",
            "resolve_within": "30d",
        }
    }
    config = parse_config({"language": "de", "channels": {"management": "CMGMT"}, "severities": days}, {})
    svc = build_services(config, TinyDBStore(tmp_path / "complaints.json", lambda: clock[0]), lambda: clock[0])
    filed = svc.lifecycle.file(Draft(channel="CSUPPORT", reporter="UANA", summary="Teile fehlen"))
    assert filed.complaint is not None
    number = filed.complaint.number
    quiet = svc.lifecycle.file(Draft(channel="CSUPPORT", reporter="UANA", summary="Rechnung doppelt"))
    assert quiet.complaint is not None
    with svc.deps.store.transaction() as tx:  # the cards were posted
        for n in (number, quiet.complaint.number):
            complaint = tx.get(n)
            assert complaint is not None
            complaint.card_ts = f"1700000000.{n:06d}"
            tx.save(complaint)
    svc.lifecycle.claim("CSUPPORT", f"1700000000.{quiet.complaint.number:06d}", "UBEN", "Ev1")
    for day in (1, 2, 3, 4):
        clock[0] = start + timedelta(days=day, minutes=1)
        svc.followups.run_due(number)
        svc.followups.run_due(quiet.complaint.number)
    texts = effect_texts(list(svc.deps.store.pending_effects()))
    home = svc.home.view("UBEN")
    texts += [b["text"]["text"] for b in home["blocks"] if b.get("type") == "section"]
    wrong = [t for t in texts if re.search(f"{DATIVE_AFTER} {NOMINATIVE_PLURAL}", t)]
    assert not wrong, wrong
    joined = "\n".join(texts)
    for expected in ("seit 2 Tagen", "nach 3 Tagen", "In 4 Tagen", "in 4 Tagen", "Seit 2 Tagen", "seit 4 Tagen offen"):
        assert expected in joined, (expected, joined)
