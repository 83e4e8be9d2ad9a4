"""The 明白纸, checked by independent readers: pypdf, poppler (pdffonts, pdftotext, pdftoppm)
and zxing-cpp for the QR code."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator import sheet
from generator.check import check_folder
from generator.diagnostics import BuildError
from tests.conftest import SAMPLE_MATTERS, SITE_URL, TODAY, matter

A4_PT = (595.276, 841.89)


def pdftotext(pdf: bytes) -> str:
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def catalog():
    return check_folder(SAMPLE_MATTERS, TODAY).catalog


@pytest.fixture(scope="module")
def renderer():
    return sheet.Renderer()


def render(renderer, m, options=sheet.SheetOptions()):
    data = sheet.view(m, SITE_URL, 0, options)
    return renderer.sheet(data, sheet.qr_svg(data["url"]), options)


def test_every_sample_sheet_is_one_exact_a4_page(sample_site):
    for path in sorted((sample_site / "pdf").glob("*.pdf")):
        reader = PdfReader(path)
        assert len(reader.pages) == 1, path.name
        box = reader.pages[0].mediabox
        assert (round(float(box.width), 2), round(float(box.height), 2)) == (round(A4_PT[0], 2), round(A4_PT[1], 2))


def test_fonts_are_embedded_and_subset(sample_site):
    done = subprocess.run(["pdffonts", str(sample_site / "pdf" / "hz-bl.pdf")], capture_output=True, text=True, check=True)
    rows = [line.split() for line in done.stdout.splitlines()[2:] if line.strip()]
    names = [row[0] for row in rows]
    assert any("NotoSerifCJK" in n for n in names) and any("NotoSansCJK" in n for n in names)
    for row in rows:
        # columns: name type... emb sub uni object ID — emb and sub must both be "yes"
        emb, sub = row[-5], row[-4]
        assert (emb, sub) == ("yes", "yes"), row
        assert re.match(r"^[A-Z]{6}\+", row[0]), row  # subset tag


def test_text_matches_the_model_with_no_tofu(catalog, renderer):
    for m in catalog.matters.values():
        pdf, pages, _ = render(renderer, m)
        text = squeeze(pdftotext(pdf))
        assert "\ufffd" not in text
        for expected in [m.name, m.department.name, m.time_limit.case_type, *(x.name for x in m.materials),
                         *(s.name for s in m.process), *(loc.address for loc in m.locations), m.updated.isoformat(),
                         m.digest]:
            assert squeeze(expected) in text, (m.id, expected)
        assert ("不收费" in text) == m.free
        assert "12345" in text


def test_fees_or_the_words_bu_shou_fei(catalog, renderer):
    assert "不收费" in pdftotext(render(renderer, catalog.matters["gtgsh-sl"])[0])
    text = squeeze(pdftotext(render(renderer, catalog.matters["hz-bl"])[0]))
    assert "普通护照证件费：每本120元" in text


def test_materials_are_a_tick_list_with_form_copies_and_source(catalog, renderer):
    text = pdftotext(render(renderer, catalog.matters["hk-csdj"])[0])
    assert text.count("□") == len(catalog.matters["hk-csdj"].materials)
    assert "原件 1 份 · 其他（孩子出生的医院（助产机构））" in text


def decode_qr(pdf_path: Path, tmp_path: Path, dpi: int = 150) -> list[str]:
    import zxingcpp
    from PIL import Image

    root = tmp_path / pdf_path.stem
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", str(pdf_path), str(root)], check=True)
    return [r.text for r in zxingcpp.read_barcodes(Image.open(f"{root}.png"))]


def test_qr_code_decodes_to_the_matter_url(sample_site, tmp_path):
    for matter_id in ["dibao", "gtgsh-sl", "hz-bl"]:
        assert decode_qr(sample_site / "pdf" / f"{matter_id}.pdf", tmp_path) == [f"{SITE_URL}matters/{matter_id}/"]


def test_qr_code_is_vector(sample_site):
    reader = PdfReader(sample_site / "pdf" / "dibao.pdf")
    resources = reader.pages[0]["/Resources"]
    xobjects = resources.get("/XObject", {})
    images = [x for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image"]
    assert images == []


def sizes(pdf: bytes) -> list[tuple[str, float]]:
    """(text, size in points) for every text chunk, as pypdf sees the content stream."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            scale = (tm[0] * cm[0]) if tm and cm else 1
            found.append((text.strip(), abs(size * scale)))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return found


@pytest.mark.parametrize("matter_id", ["dibao", "gtgsh-sl"])  # dibao needs the tighter density
def test_type_is_large_and_readable(catalog, renderer, matter_id):
    m = catalog.matters[matter_id]
    chunks = sizes(render(renderer, m)[0])
    title = [s for t, s in chunks if t.startswith(m.name[:4])]
    assert title and max(title) >= 18
    starts = [x.name[:4] for x in m.materials] + [c[:4] for c in m.conditions] + ["原件", "复印件", "对办理结果不服"]
    body = [s for t, s in chunks if any(t.startswith(prefix) for prefix in starts)]
    assert len(body) > len(m.materials) and min(body) >= 10.5


def long_matter(count: int) -> dict:
    return matter(materials=[{"name": f"第{i:02d}号证明材料（{'很长的材料名称' * 2}）", "form": "复印件",
                              "note": "需加盖出具单位公章并注明与原件一致" * 2} for i in range(1, count + 1)])


def test_long_content_tightens_then_continues_with_a_xu_header(demo, renderer):
    demo.matter(long_matter(40))
    m = demo.check().catalog.matters["demo-matter"]
    pdf, pages, level = render(renderer, m)
    assert pages >= 2 and level == sheet.MAX_LEVEL
    text = pdftotext(pdf)
    for material in m.materials:
        assert squeeze(material.name) in squeeze(text), material.name
    second = text.split("\f")[1]
    assert "续" in second and m.name in second
    assert len(PdfReader(io.BytesIO(pdf)).pages) == pages


def test_moderately_long_content_tightens_but_stays_on_one_page(demo, renderer):
    levels = []
    for count in (3, 12):
        demo.matter(long_matter(count))
        pdf, pages, level = render(renderer, demo.check().catalog.matters["demo-matter"])
        levels.append((pages, level))
    assert levels[0] == (1, 0)
    assert levels[1][0] == 1 and levels[1][1] > 0


def test_typst_markup_in_fields_is_plain_text(demo, renderer):
    tricky = '#import "/etc/passwd" ] [ $x^2$ *粗* _斜_ <label> @ref \\ #{1+1}'
    demo.matter(name="事项" + tricky, summary=tricky, conditions=[tricky],
                materials=[{"name": tricky, "form": "原件", "note": tricky}])
    m = demo.check().catalog.matters["demo-matter"]
    text = squeeze(pdftotext(render(renderer, m)[0]))
    assert squeeze(tricky) in text


def test_same_input_gives_the_same_bytes(catalog, renderer):
    m = catalog.matters["sfz-hl"]
    assert render(renderer, m)[0] == render(sheet.Renderer(), m)[0]


def test_cache_skips_unchanged_sheets(demo, tmp_path, monkeypatch):
    demo.matter(id="second")
    catalog = demo.check().catalog
    cache = tmp_path / "cache"
    calls = []
    original = sheet.Renderer.sheet

    def counting(self, data, qr, options):
        calls.append(data["name"])
        return original(self, data, qr, options)

    monkeypatch.setattr(sheet.Renderer, "sheet", counting)
    first = sheet.render_many(list(catalog.matters.values()), SITE_URL, cache=cache)
    assert len(calls) == 2
    again = sheet.render_many(list(catalog.matters.values()), SITE_URL, cache=cache)
    assert len(calls) == 2 and [s.pdf for s in again] == [s.pdf for s in first]
    demo.matter(id="second", name="改过名字的事项")
    changed = demo.check().catalog
    sheet.render_many(list(changed.matters.values()), SITE_URL, cache=cache)
    assert calls[2:] == ["改过名字的事项"]


def test_missing_fonts_stop_with_a_chinese_message_naming_the_package(monkeypatch, tmp_path):
    monkeypatch.setattr(sheet, "FONT_DIRS", (tmp_path,))
    monkeypatch.delenv("GUIDE_FONT_DIR", raising=False)
    with pytest.raises(BuildError) as info:
        sheet.font_dirs()
    assert "fonts-noto-cjk" in str(info.value) and "找不到中文字体" in str(info.value)


def test_font_folder_can_be_given(monkeypatch, tmp_path):
    for name in ("NotoSerifCJK-Regular.ttc", "NotoSansCJK-Regular.ttc"):
        (tmp_path / name).write_bytes(b"")
    monkeypatch.setattr(sheet, "FONT_DIRS", ())
    monkeypatch.setenv("GUIDE_FONT_DIR", str(tmp_path))
    assert sheet.font_dirs() == [tmp_path]


def test_sheet_view_is_plain_json_data(catalog):
    import json

    data = sheet.view(catalog.matters["gtgsh-sl"], SITE_URL)
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data["url"] == f"{SITE_URL}matters/gtgsh-sl/"
    flags = {m["name"]: m["flag"] for m in data["materials"]}
    assert flags["受托人居民身份证"] == "仅委托他人办理"


def test_templates_live_in_their_own_files():
    assert (Path(sheet.TEMPLATES) / "sheet.typ").is_file()
    assert (Path(sheet.TEMPLATES) / "sheet-lib.typ").is_file()
