"""The sample data and the folder-level checks."""

from __future__ import annotations

import datetime as dt
import re

from generator.check import check_folder
from generator.model import REMOTE_CHANNELS
from tests.conftest import SAMPLE_MATTERS, TODAY, rules_of


def sample():
    return check_folder(SAMPLE_MATTERS, TODAY)


def test_sample_data_has_no_errors():
    result = sample()
    assert result.errors == [], "\n".join(d.text() for d in result.errors)
    assert result.catalog is not None


def test_sample_data_covers_what_the_contract_asks_for():
    catalog = sample().catalog
    matters = list(catalog.matters.values())
    assert len(matters) >= 12 and len(catalog.departments) >= 4
    assert any(m.type == "行政许可" and m.fees and all(f.basis for f in m.fees) for m in matters)
    assert any(m.type == "公共服务" and m.time_limit.instant and m.visits == 0 for m in matters)
    assert any(m.type == "行政给付" and m.time_limit.note and "阶段" in m.time_limit.note for m in matters)
    assert any(len(m.locations) > 1 for m in matters)
    assert any(m.scenarios for m in matters)
    # a prerequisite chain of at least three matters
    chains = [m for m in matters if any(catalog.matters[p].prerequisites for p in m.prerequisites)]
    assert chains


def test_sample_contacts_are_visibly_fictional():
    for m in sample().catalog.matters.values():
        for contact in m.consult + m.complaint:
            if contact.type == "电话":
                assert contact.value == "12345" or contact.value.startswith("0000-"), contact
        for location in m.locations:
            assert "示例市" in location.address
            assert not location.phone or location.phone.startswith("0000-")
        for channel in m.channels:
            assert not channel.url or ".example" in channel.url


def test_every_sample_complaint_lists_12345():
    for m in sample().catalog.matters.values():
        assert any(c.value == "12345" for c in m.complaint), m.id


def test_sample_files_point_editors_at_the_schema():
    for path in SAMPLE_MATTERS.rglob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        expected = "department" if path.name == "_department.yaml" else "matter"
        assert first == f"# yaml-language-server: $schema=../../schema/{expected}.schema.json", path


def test_catalog_is_withheld_when_there_are_errors(demo):
    demo.matter(visits=-1)
    assert demo.check().catalog is None


def test_yml_extension_and_stray_files_are_reported(demo):
    demo.write("demo/other.yml", "id: other\n")
    demo.write("loose.yaml", "id: loose\n")
    demo.write("demo/notes.txt", "ignored")
    result = demo.check()
    assert {"L-extension", "L-location"} <= rules_of(result)
    assert result.files == 2


def test_one_bad_file_does_not_hide_problems_in_others(demo):
    demo.write("demo/broken.yaml", "id: [\n")
    demo.matter(id="second", visits=0)
    rules = rules_of(demo.check())
    assert {"L-syntax", "R-zero-visit-without-remote-channel"} <= rules


def test_diagnostics_are_sorted_by_file_and_line(demo):
    demo.matter(visits=0, legal_basis=[{"law": "《条例》"}], updated="2030-01-01")
    lines = [(d.file, d.line) for d in demo.check().diagnostics]
    assert lines == sorted(lines)


def test_sample_remote_channel_names_are_in_the_schema():
    from generator.schema import schema
    enum = schema("matter")["properties"]["channels"]["items"]["properties"]["type"]["enum"]
    assert set(REMOTE_CHANNELS) <= set(enum)


def test_sample_dates_are_not_in_the_future_today():
    result = check_folder(SAMPLE_MATTERS, dt.date.today())
    assert "R-updated-in-future" not in rules_of(result)
    assert not [d for d in result.diagnostics if re.search("Traceback", d.message)]
