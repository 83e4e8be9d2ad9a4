"""`guide print`: bleed, boxes, marks, booklets, PDF/A archive and the manifest."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from generator.cli import main
from generator.printshop import MM, build_package
from tests.conftest import SAMPLE_MATTERS, SITE_URL, TODAY

A4 = (210 * MM, 297 * MM)


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("print") / "print"
    result = build_package(SAMPLE_MATTERS, out, SITE_URL, bleed=3.0, marks=False, today=TODAY)
    assert not result.check.errors
    return out


@pytest.fixture(scope="module")
def marked(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("print-marks") / "print"
    build_package(SAMPLE_MATTERS, out, SITE_URL, bleed=3.0, marks=True, today=TODAY)
    return out


def box(page, name):
    rect = getattr(page, name)
    return [round(float(v), 2) for v in (rect.left, rect.bottom, rect.right, rect.top)]


def test_sheets_have_3mm_bleed_and_an_exact_a4_trimbox(package):
    for path in sorted((package / "sheets").glob("*.pdf")):
        for page in PdfReader(path).pages:
            media, trim, bleed = box(page, "mediabox"), box(page, "trimbox"), box(page, "bleedbox")
            assert round(trim[2] - trim[0], 2) == round(A4[0], 2) and round(trim[3] - trim[1], 2) == round(A4[1], 2)
            assert trim[0] == pytest.approx(3 * MM, abs=0.01) and trim[1] == pytest.approx(3 * MM, abs=0.01)
            assert bleed == media  # without marks the bleed is the whole sheet


def test_marks_sit_outside_the_bleed(marked):
    page = PdfReader(marked / "sheets" / "dibao.pdf").pages[0]
    media, bleed, trim = box(page, "mediabox"), box(page, "bleedbox"), box(page, "trimbox")
    assert media[0] < bleed[0] < trim[0] and trim[2] < bleed[2] < media[2]
    assert round(trim[2] - trim[0], 2) == round(A4[0], 2)


def render(path: Path, tmp_path: Path, dpi: int = 72) -> Image.Image:
    root = tmp_path / path.stem
    subprocess.run(["pdftoppm", "-r", str(dpi), "-singlefile", "-png", str(path), str(root)], check=True)
    return Image.open(f"{root}.png").convert("L")


def test_background_runs_into_the_bleed(package, tmp_path):
    image = render(package / "sheets" / "gtgsh-sl.pdf", tmp_path)
    # 1 mm in from the top-left corner: inside the bleed, where the title band must be.
    assert image.getpixel((3, 3)) < 250


def test_crop_marks_are_drawn_only_when_asked(package, marked, tmp_path):
    (tmp_path / "plain").mkdir()
    plain = render(package / "sheets" / "dibao.pdf", tmp_path / "plain", dpi=144)
    with_marks = render(marked / "sheets" / "dibao.pdf", tmp_path, dpi=144)
    px = 144 / 25.4
    # The vertical mark on the trim line's extension, in the top margin outside the bleed (8 mm + 3 mm).
    trim_x = round((8 + 3) * px)
    column = [min(with_marks.getpixel((x, y)) for x in range(trim_x - 1, trim_x + 2)) for y in range(round(7 * px))]
    assert min(column) < 160
    # Without marks the sheet is only A4 plus the bleed.
    assert plain.size[0] == round((210 + 6) * px) or abs(plain.size[0] - (210 + 6) * px) < 2
    assert plain.size[0] < with_marks.size[0]


def test_booklets_have_cover_contents_every_sheet_and_an_even_page_count(package):
    for path in sorted((package / "booklets").glob("*.pdf")):
        reader = PdfReader(path)
        assert len(reader.pages) % 2 == 0, path.name
        contents = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(path), "-"], capture_output=True,
                                  text=True, check=True).stdout
        assert "目" in contents and "录" in contents
        for name in _matter_names(path.stem):
            assert name in contents.replace(" ", ""), (path.name, name)
        assert any(ch.isdigit() for ch in contents)


def _matter_names(code: str) -> list[str]:
    import yaml

    return [yaml.safe_load(p.read_text(encoding="utf-8"))["name"]
            for p in sorted((SAMPLE_MATTERS / code).glob("*.yaml")) if p.name != "_department.yaml"]


def test_booklet_page_numbers_in_contents_point_at_the_sheets(package):
    path = package / "booklets" / "gaj.pdf"
    contents = subprocess.run(["pdftotext", "-layout", "-f", "2", "-l", "2", str(path), "-"], capture_output=True,
                              text=True, check=True).stdout
    for name in _matter_names("gaj"):
        line = next(line for line in contents.splitlines() if name in line.replace(" ", ""))
        number = int(re.sub(r"\D", "", line.split()[-1]))  # Typst puts a word joiner before it
        page_text = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), str(path), "-"],
                                   capture_output=True, text=True, check=True).stdout
        assert name in page_text.replace(" ", "").replace("\n", ""), (name, number)


def test_archive_copies_are_pdf_a_2b(package):
    for path in sorted((package / "archive").glob("*.pdf"))[:3]:
        metadata = PdfReader(path).xmp_metadata
        xml = metadata.stream.get_data().decode("utf-8") if metadata else ""
        assert "pdfaid" in xml and ("<pdfaid:part>2</pdfaid:part>" in xml or 'pdfaid:part="2"' in xml)
        assert "<pdfaid:conformance>B</pdfaid:conformance>" in xml or 'pdfaid:conformance="B"' in xml


def test_manifest_lists_every_file_with_matching_hashes(package):
    files = sorted(str(p.relative_to(package)) for p in package.rglob("*.pdf"))
    rows = list(csv.DictReader(open(package / "manifest.csv", encoding="utf-8")))
    assert sorted(r["file"] for r in rows) == files
    data = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    assert [r["file"] for r in data] == [r["file"] for r in rows]
    for row in rows:
        blob = (package / row["file"]).read_bytes()
        assert row["sha256"] == hashlib.sha256(blob).hexdigest()
        assert int(row["bytes"]) == len(blob)
        assert int(row["pages"]) == len(PdfReader(package / row["file"]).pages)
        assert row["trim_mm"] == "210x297"
        assert row["kind"] in ("sheet", "booklet", "archive")
        if row["kind"] != "booklet":
            assert row["matter_id"] and row["updated"]
    kinds = {r["kind"] for r in rows}
    assert kinds == {"sheet", "booklet", "archive"}


def test_cli_print(demo, tmp_path, capsys):
    code = main(["print", "--out", str(tmp_path / "p"), "--bleed", "2", "--marks"])
    assert code == 0, capsys.readouterr()
    assert (tmp_path / "p" / "manifest.csv").is_file()
    page = PdfReader(tmp_path / "p" / "sheets" / "demo-matter.pdf").pages[0]
    assert round(float(page.trimbox.left) - float(page.bleedbox.left), 2) == round(2 * MM, 2)
    with pytest.raises(SystemExit) as info:
        main(["print", "--bleed", "abc"])
    assert info.value.code == 2 and "出血" in capsys.readouterr().err
