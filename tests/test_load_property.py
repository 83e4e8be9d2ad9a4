"""Property: whatever bytes or YAML a clerk produces, the loader answers with a Document or
its own LoadError, never another exception."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.diagnostics import LoadError
from generator.load import load_bytes

PATH = Path("matters/demo/x.yaml")

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.text(max_size=20), st.dates().map(str))
values = st.recursive(scalars, lambda children: st.one_of(
    st.lists(children, max_size=4),
    st.dictionaries(st.text(max_size=8), children, max_size=4)), max_leaves=30)

# Fragments that often appear, alone or badly combined, in hand-written YAML.
fragments = st.sampled_from([
    "id: a\n", "name: 甲\n", "  - ", "- ", ": ", "\t", "&a ", "*a ", "!!python/object:os.system ", "!x ",
    "<<: *a\n", '"', "'", "[", "]", "{", "}", "#", "---\n", "...\n", "\n", "  ", "2026-02-30", "\ufeff",
    "key: |\n  text\n", "? complex\n", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "\x00", "\r\n", "\x85",
])


def check(raw: bytes) -> None:
    try:
        doc = load_bytes(raw, PATH, "x.yaml")
    except LoadError as exc:
        assert exc.diagnostics and all(d.line >= 1 and d.column >= 1 for d in exc.diagnostics)
        assert all(d.message for d in exc.diagnostics)
    else:
        assert isinstance(doc.data, dict)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300))
def test_arbitrary_bytes(raw):
    check(raw)


@settings(max_examples=300, deadline=None)
@given(st.lists(fragments, max_size=30))
def test_yaml_like_fragments(parts):
    check("".join(parts).encode("utf-8", "surrogatepass"))


@settings(max_examples=200, deadline=None)
@given(values)
def test_any_dumped_value(value):
    text = yaml.safe_dump(value, allow_unicode=True)
    check(text.encode("utf-8", "surrogatepass"))


# Printable keys only: libyaml and PyYAML disagree on a few control characters, which is theirs to settle.
printable = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=8)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(printable, values, min_size=1, max_size=5))
def test_mappings_round_trip(mapping):
    text = yaml.safe_dump(mapping, allow_unicode=True)
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:
        return
    try:
        doc = load_bytes(raw, PATH, "x.yaml")
    except LoadError:
        return  # e.g. a string that YAML reads back as a date is still a clean rejection at most
    assert set(doc.data) == {str(k) for k in mapping}
