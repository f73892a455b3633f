"""Spec requirement IDs: where they are defined (specs/*.md) and where they are cited (tests).

A rule is a Markdown line that *starts* with its ID in square brackets, optionally after a list
marker and optionally in bold; specs/README.md states the convention:

    - **[graph.map_graph.depth]** Every operation MUST ...
    [graph.map_graph.depth] Every operation MUST ...

Lines inside fenced code blocks never define rules, so examples can show the syntax.
Tests cite rules with ``@pytest.mark.spec("graph.map_graph.depth", ...)``.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SPECS_DIR = REPO_ROOT / "specs"
CONFORMANCE_DIR = REPO_ROOT / "conformance"

# Lowercase dotted words with at least two parts: "area.rule" or "area.topic.rule".
ID_PATTERN = r"[a-z0-9_]+(?:\.[a-z0-9_]+)+"
ID_RE = re.compile(rf"^{ID_PATTERN}$")
# Optional indent, optional list marker ("-", "*", "+", "1.", "1)"), optional "**", then [id].
RULE_RE = re.compile(rf"^\s*(?:[-*+]\s+|\d+[.)]\s+)?(?:\*\*)?\[(?P<id>{ID_PATTERN})\](?:\*\*)?(?=\s|$)")
# A line that begins a new block ends the running rule's text.
_BLOCK_START_RE = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|#|>|\||```|~~~)")
_FENCE_RE = re.compile(r"^\s*(```|~~~)")
# Requirement keywords (RFC 2119 style); every rule must use at least one.
KEYWORD_RE = re.compile(r"\b(?:MUST|SHOULD|MAY)\b")


@dataclass(frozen=True)
class Rule:
    """One spec requirement: its ID, where it is written, and its full text."""

    id: str
    path: Path
    line: int
    text: str

    @property
    def where(self) -> str:
        return f"{self.path.name}:{self.line}"


def spec_files(specs_dir: Path = SPECS_DIR) -> list[Path]:
    """The spec documents: every ``specs/*.md`` except the README that explains them."""
    return sorted(p for p in specs_dir.glob("*.md") if p.name != "README.md")


def parse_rules(path: Path) -> list[Rule]:
    """Every rule defined in one Markdown file, in file order."""
    rules: list[Rule] = []
    current: list[str] | None = None  # lines of the rule being read, or None
    start = 0
    in_fence = False

    def close() -> None:
        if current is not None:
            match = RULE_RE.match(current[0])
            rules.append(Rule(match["id"], path, start, " ".join(s.strip() for s in current)))

    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        fence = _FENCE_RE.match(line) is not None
        in_fence ^= fence
        if fence or in_fence or not line.strip():
            close()
            current = None
        elif RULE_RE.match(line):
            close()
            current, start = [line], number
        elif _BLOCK_START_RE.match(line):
            close()
            current = None
        elif current is not None:
            current.append(line)  # a wrapped continuation of the rule's paragraph
    close()
    return rules


def load_rules(specs_dir: Path = SPECS_DIR) -> list[Rule]:
    """All rules of all spec files (duplicates included, so callers can report them)."""
    return [rule for path in spec_files(specs_dir) for rule in parse_rules(path)]


def rules_by_id(rules: list[Rule]) -> dict[str, list[Rule]]:
    """Groups rules by ID; a list longer than one is a duplicate definition."""
    grouped: dict[str, list[Rule]] = {}
    for rule in rules:
        grouped.setdefault(rule.id, []).append(rule)
    return grouped


def conformance_test_files(conformance_dir: Path = CONFORMANCE_DIR) -> list[Path]:
    return sorted(conformance_dir.glob("test_*.py"))


def cited_ids(path: Path) -> list[tuple[str, int]]:
    """``(id, line)`` for every string passed to a ``spec(...)`` call in a test file.

    Reads the source with ``ast`` instead of importing it, so no test module (and no backend) is
    loaded. Any call whose callee is named ``spec`` counts: ``pytest.mark.spec(...)`` as well as
    an alias such as ``spec = pytest.mark.spec``.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        callee = node.func
        name = callee.attr if isinstance(callee, ast.Attribute) else getattr(callee, "id", None)
        if name != "spec":
            continue
        for arg in node.args:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.append((arg.value, arg.lineno))
    return found
