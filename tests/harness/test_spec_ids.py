"""Spec IDs: the parser, and the bond between specs/*.md and the conformance tests.

The conformance test files are read as source (never imported), so no backend loads here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance._harness.spec_ids import (
    KEYWORD_RE,
    cited_ids,
    conformance_test_files,
    load_rules,
    parse_rules,
    rules_by_id,
)

RULES = load_rules()


def citations() -> dict[str, list[str]]:
    """Spec ID -> ``file:line`` of every citation in conformance/test_*.py."""
    found: dict[str, list[str]] = {}
    for path in conformance_test_files():
        for spec_id, line in cited_ids(path):
            found.setdefault(spec_id, []).append(f"{path.name}:{line}")
    return found


def test_specs_define_rules():
    assert RULES, "specs/*.md define no rule; see specs/README.md for the rule syntax"


def test_each_id_is_defined_once():
    duplicates = {i: [r.where for r in rules] for i, rules in rules_by_id(RULES).items()
                  if len(rules) > 1}
    assert not duplicates, f"spec IDs defined more than once: {duplicates}"


def test_each_id_starts_with_its_file_area():
    misplaced = [f"{r.id} ({r.where})" for r in RULES if r.id.split(".")[0] != r.path.stem]
    assert not misplaced, f"an ID's first part must be its file's name: {misplaced}"


def test_each_rule_states_a_requirement():
    vague = [f"{r.id} ({r.where})" for r in RULES if not KEYWORD_RE.search(r.text)]
    assert not vague, f"rules without MUST/SHOULD/MAY: {vague}"


def test_each_rule_is_cited_by_a_conformance_test():
    uncited = sorted({r.id for r in RULES} - set(citations()))
    assert not uncited, f"spec IDs no conformance test cites: {uncited}"


def test_each_citation_names_a_defined_rule():
    defined = {r.id for r in RULES}
    unknown = {i: where for i, where in citations().items() if i not in defined}
    assert not unknown, f"conformance tests cite undefined spec IDs: {unknown}"


SAMPLE = """\
# Area

Intro text mentioning [area.not_a_rule] mid-line.

- **[area.bold.item]** A bold list item MUST count,
  and its wrapped line belongs to it.
- [area.plain_item] A plain list item SHOULD count.
  1. [area.numbered.item] A nested numbered item MUST count.
[area.paragraph] A paragraph rule MAY count.
- a list item without an ID ends the rule above.

```
[area.in.fence] Code examples never define rules.
```
[Area.Upper] Upper case is not an ID. [single] Nor is a single word.
"""


def test_parser_reads_the_documented_forms(tmp_path: Path):
    path = tmp_path / "area.md"
    path.write_text(SAMPLE)
    rules = parse_rules(path)
    assert [r.id for r in rules] == [
        "area.bold.item", "area.plain_item", "area.numbered.item", "area.paragraph"]
    assert rules[0].text.endswith("and its wrapped line belongs to it.")
    assert rules[0].line == 5
    assert rules[3].text == "[area.paragraph] A paragraph rule MAY count."


def test_citations_are_read_from_source(tmp_path: Path):
    path = tmp_path / "test_area.py"
    path.write_text(
        "import pytest\n"
        "spec = pytest.mark.spec\n"
        "pytestmark = pytest.mark.spec('area.module')\n"
        "@pytest.mark.spec('area.one', 'area.two')\n"
        "def test_a(): pass\n"
        "@spec('area.three')\n"
        "def test_b(): pass\n"
        "@pytest.mark.parametrize('x', [pytest.param(1, marks=pytest.mark.spec('area.four'))])\n"
        "def test_c(x): pass\n"
    )
    assert [i for i, _ in cited_ids(path)] == [
        "area.module", "area.one", "area.two", "area.three", "area.four"]


@pytest.mark.parametrize("line", ["- [x.y] z MUST", "[x.y]: z MUST"])
def test_id_must_be_followed_by_space(tmp_path: Path, line: str):
    path = tmp_path / "x.md"
    path.write_text(line + "\n")
    assert [r.id for r in parse_rules(path)] == (["x.y"] if line.startswith("-") else [])
