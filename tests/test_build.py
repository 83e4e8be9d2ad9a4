"""`guide build` end to end: URLs, atomic output, determinism, page size, search index."""

from __future__ import annotations

import json
import sys

import pytest

from generator import site as site_module
from generator.build import BuildOptions, build
from generator.cli import main
from generator.diagnostics import BuildError
from tests.conftest import REPO, SAMPLE_MATTERS, SITE_URL, TODAY, build_site

sys.path.insert(0, str(REPO))
from bench.synthetic import make  # noqa: E402

MAX_PAGE_BYTES = 60 * 1024


def matter_ids():
    return sorted(p.stem for p in SAMPLE_MATTERS.glob("*/*.yaml") if p.name != "_department.yaml")


def test_every_matter_department_and_sheet_has_its_url(sample_site):
    for matter_id in matter_ids():
        assert (sample_site / "matters" / matter_id / "index.html").is_file()
        assert (sample_site / "pdf" / f"{matter_id}.pdf").is_file()
    for folder in SAMPLE_MATTERS.iterdir():
        if folder.is_dir():
            assert (sample_site / "departments" / folder.name / "index.html").is_file()
    for page in ["index.html", "search/index.html", "az/index.html", "topics/index.html",
                 "audience/geren/index.html", "audience/faren/index.html", "data/matters.json"]:
        assert (sample_site / page).is_file(), page


def test_material_search_is_replaced_by_pagefind(sample_site):
    assert not (sample_site / "search" / "search_index.json").exists()
    assert (sample_site / "pagefind" / "pagefind.js").is_file()
    entry = json.loads((sample_site / "pagefind" / "pagefind-entry.json").read_text())
    # only matter pages carry data-pagefind-body, so only they are indexed
    assert sum(lang["page_count"] for lang in entry["languages"].values()) == len(matter_ids())
    assert "zh" in entry["languages"]
    page = (sample_site / "matters" / "dibao" / "index.html").read_text(encoding="utf-8")
    assert 'class="guide-header-search"' in page and 'action="../../search/"' in page
    assert 'lang="zh"' in page


def test_no_external_requests_in_pages(sample_site):
    page = (sample_site / "matters" / "dibao" / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in page and "fonts.gstatic.com" not in page


def test_pages_are_small_and_do_not_grow_with_the_number_of_matters(sample_site, tmp_path):
    small = max(p.stat().st_size for p in (sample_site / "matters").glob("*/index.html"))
    folder = make(tmp_path / "many", 300)
    out = tmp_path / "site"
    build_site(folder, out, with_pdf=False)
    large = max(p.stat().st_size for p in (out / "matters").glob("*/index.html"))
    assert small < MAX_PAGE_BYTES and large < MAX_PAGE_BYTES
    assert large - small < 2048, "a matter page must not list other matters"


def files_of(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_output_is_deterministic_apart_from_the_stamp(tmp_path):
    cache = tmp_path / "cache"
    first, second, third = tmp_path / "one", tmp_path / "two", tmp_path / "three"
    build_site(SAMPLE_MATTERS, first, cache=cache)
    build_site(SAMPLE_MATTERS, second, cache=cache)
    a, b = files_of(first), files_of(second)
    assert sorted(a) == sorted(b)
    assert {f for f in a if a[f] != b[f]} <= {"build-info.json"}
    # Without the cache, everything but Pagefind's filter/metadata indexes is still identical.
    build_site(SAMPLE_MATTERS, third, cache=None)
    c = files_of(third)
    same_names = set(a) & set(c)
    assert all(f.startswith("pagefind/") for f in set(a) ^ set(c))
    assert {f for f in same_names if a[f] != c[f] and not f.startswith("pagefind/")} <= {"build-info.json"}


def test_data_errors_stop_the_build_and_keep_the_old_site(demo, tmp_path):
    out = tmp_path / "site"
    build_site(demo.root, out, with_pdf=False)
    before = (out / "matters" / "demo-matter" / "index.html").read_bytes()
    demo.matter(visits=-1)
    result = build(BuildOptions(demo.root, out, SITE_URL, REPO / "mkdocs.yml", with_pdf=False, today=TODAY))
    assert result.check.errors
    assert (out / "matters" / "demo-matter" / "index.html").read_bytes() == before


def test_a_failing_tool_keeps_the_old_site_and_leaves_no_half_site(demo, tmp_path, monkeypatch):
    out = tmp_path / "site"
    build_site(demo.root, out, with_pdf=False)
    before = sorted(p.name for p in tmp_path.iterdir())

    def broken(_site, _cache=None):
        raise BuildError("Pagefind 建立搜索索引失败")

    monkeypatch.setattr(site_module, "run_pagefind", broken)
    with pytest.raises(BuildError):
        build(BuildOptions(demo.root, out, SITE_URL, REPO / "mkdocs.yml", with_pdf=False, today=TODAY))
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert (out / "matters" / "demo-matter" / "index.html").is_file()


def test_cli_build_reports_errors_in_chinese_with_exit_one(demo, tmp_path, capsys, monkeypatch):
    demo.matter(visits=0)
    code = main(["build", "--no-pdf", "--out", str(tmp_path / "out"), "--config", str(REPO / "mkdocs.yml")])
    out = capsys.readouterr()
    assert code == 1 and "R-zero-visit-without-remote-channel" in out.out and "没有生成网站" in out.err
    assert not (tmp_path / "out").exists()


def test_cli_build_rejects_a_bad_site_url(demo, tmp_path, capsys):
    code = main(["build", "--no-pdf", "--out", str(tmp_path / "o"), "--site-url", "banshi.example"])
    assert code == 1 and "http://" in capsys.readouterr().err


def test_broken_internal_links_are_found(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<a href="../b/">b</a><a href="../a/">a</a><a href="https://x.example/">x</a>'
                                               '<a href="#top">t</a><a href="/a/">root</a><a href="/missing/">m</a>')
    assert site_module.broken_links(tmp_path) == ["a/index.html → ../b/", "a/index.html → /missing/"]


def test_strict_mkdocs_config_without_search_plugin(tmp_path):
    settings = site_module.load_settings(REPO / "mkdocs.yml")
    config = site_module.write_config(settings, REPO, tmp_path / "docs", tmp_path / "site", SITE_URL,
                                      tmp_path / "mkdocs.yml")
    import yaml

    written = yaml.safe_load(config.read_text(encoding="utf-8"))
    assert written["strict"] is True and written["plugins"] == []
    assert written["theme"]["custom_dir"] == str(REPO / "site_overrides")
    assert written["theme"]["font"] is False
    assert all("matters/" not in json.dumps(item, ensure_ascii=False) for item in written["nav"])


def test_open_data_export(sample_site):
    data = json.loads((sample_site / "data" / "matters.json").read_text(encoding="utf-8"))
    assert {m["id"] for m in data["matters"]} == set(matter_ids())
    assert all(len(m["digest"]) == 10 for m in data["matters"])




@pytest.mark.parametrize("out", [".", "matters", ".."])
def test_output_folder_may_not_hold_the_data(demo, capsys, out):
    code = main(["build", "--no-pdf", "--out", out])
    assert code == 1 and "会被整个替换" in capsys.readouterr().err
    assert (demo.root / "demo" / "demo-matter.yaml").is_file()
