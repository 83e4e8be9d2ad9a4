"""`guide print`: the package a print shop takes.

    sheets/<id>.pdf        each sheet with bleed (background runs into it), TrimBox = A4,
                           BleedBox, and crop marks outside the bleed only when asked
    booklets/<code>.pdf    per department: cover, contents with page numbers, every sheet,
                           padded to an even page count for duplex printing
    archive/<id>.pdf       each sheet as PDF/A-2b, for the records office
    manifest.csv / .json   every file with matter id, department, pages, trim size, bytes,
                           sha256 and update date
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import RectangleObject

from . import sheet
from .build import check_output_folder, normalise_site_url, replacing
from .check import CheckResult, check_folder
from .model import Catalog
from .progress import Progress

MM = 72 / 25.4  # PDF points per millimetre
A4 = (210.0, 297.0)
MARKS_MM = 8.0  # room for crop marks outside the bleed (must match sheet-lib.typ)


@dataclass
class ManifestRow:
    file: str
    kind: str  # sheet, booklet, archive
    matter_id: str
    department: str
    pages: int
    trim_mm: str
    bleed_mm: float
    bytes: int
    sha256: str
    updated: str


def set_boxes(pdf: bytes, bleed_mm: float, marks: bool) -> bytes:
    """Write TrimBox (exactly A4) and BleedBox (A4 plus the bleed) on every page."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    outer = (MARKS_MM if marks else 0.0) * MM
    bleed = bleed_mm * MM
    for page in writer.pages:
        left, bottom = float(page.mediabox.left), float(page.mediabox.bottom)
        trim_left, trim_bottom = left + outer + bleed, bottom + outer + bleed
        page.trimbox = RectangleObject([trim_left, trim_bottom, trim_left + A4[0] * MM, trim_bottom + A4[1] * MM])
        page.bleedbox = RectangleObject([left + outer, bottom + outer,
                                         trim_left + A4[0] * MM + bleed, trim_bottom + A4[1] * MM + bleed])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def booklet_data(catalog: Catalog, code: str, site_url: str, options: sheet.SheetOptions,
                 levels: dict[str, int], pad: bool) -> dict:
    matters = sorted(catalog.of_department(code), key=lambda m: m.id)
    sheets = []
    for matter in matters:
        data = sheet.view(matter, site_url, levels.get(matter.id, 0), options)
        sheets.append({**data, "qr": sheet.qr_svg(data["url"])})
    department = catalog.departments[code]
    updated = max(m.updated for m in matters).isoformat()
    digest = hashlib.sha256("".join(m.digest for m in matters).encode()).hexdigest()[:10]
    return {
        "department": department.name, "title": f"{department.name} 办事指南明白纸汇编",
        "updated": updated, "digest": digest, "url": f"{site_url}departments/{code}/",
        "count": len(matters), "pad": pad, "options": {"bleed": options.bleed, "marks": options.marks},
        "sheets": sheets,
    }


def render_booklet(renderer: sheet.Renderer, data: dict) -> tuple[bytes, int]:
    pdf = renderer.compile(data, "")
    pages = sheet.count_pages(pdf)
    if pages % 2:  # duplex needs an even count: add one blank page at the end
        pdf = renderer.compile({**data, "pad": True}, "")
        pages = sheet.count_pages(pdf)
    return pdf, pages


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class PrintResult:
    check: CheckResult
    rows: list[ManifestRow]


def build_package(matters_dir: Path, out: Path, site_url: str, bleed: float = 3.0, marks: bool = False,
                  today: dt.date | None = None, progress: Progress | None = None) -> PrintResult:
    progress = progress or Progress(enabled=False)
    site_url = normalise_site_url(site_url)
    check_output_folder(out, matters_dir)
    progress.stage("校验事项")
    checked = check_folder(matters_dir, today)
    if checked.errors:
        progress.done()
        return PrintResult(checked, [])
    catalog = checked.catalog
    with replacing(out, "package") as staging:
        rows = _write_package(catalog, staging / "package", site_url, bleed, marks, progress)
        progress.stage("替换输出目录")
    progress.done()
    return PrintResult(checked, rows)


def _write_package(catalog: Catalog, folder: Path, site_url: str, bleed: float, marks: bool,
                   progress: Progress) -> list[ManifestRow]:
    rows: list[ManifestRow] = []
    matters = list(catalog.matters.values())
    trim = f"{A4[0]:g}x{A4[1]:g}"

    def add(relative: str, kind: str, data: bytes, pages: int, matter_id: str, department: str,
            updated: str, bleed_mm: float) -> None:
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        rows.append(ManifestRow(relative, kind, matter_id, department, pages, trim, bleed_mm,
                                len(data), _sha256(data), updated))

    progress.stage("印刷用明白纸")
    options = sheet.SheetOptions(bleed=bleed, marks=marks)
    printed = sheet.render_many(matters, site_url, options, None, progress)
    levels = {s.matter_id: s.level for s in printed}
    for matter, result in zip(matters, printed, strict=True):
        add(f"sheets/{matter.id}.pdf", "sheet", set_boxes(result.pdf, bleed, marks), result.pages,
            matter.id, matter.department.code, matter.updated.isoformat(), bleed)

    progress.stage("归档版（PDF/A-2b）")
    archived = sheet.render_many(matters, site_url, sheet.SheetOptions(archival=True), None, progress)
    for matter, result in zip(matters, archived, strict=True):
        add(f"archive/{matter.id}.pdf", "archive", result.pdf, result.pages, matter.id,
            matter.department.code, matter.updated.isoformat(), 0.0)

    progress.stage("部门汇编")
    renderer = sheet.Renderer("booklet.typ")
    for code in catalog.departments:
        if not catalog.of_department(code):
            continue
        data = booklet_data(catalog, code, site_url, options, levels, pad=False)
        pdf, pages = render_booklet(renderer, data)
        add(f"booklets/{code}.pdf", "booklet", set_boxes(pdf, bleed, marks), pages, "", code, data["updated"], bleed)

    write_manifest(folder, rows)
    return rows


def write_manifest(folder: Path, rows: list[ManifestRow]) -> None:
    rows = sorted(rows, key=lambda r: r.file)
    fields = list(ManifestRow.__dataclass_fields__)
    with open(folder / "manifest.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        for row in rows:
            writer.writerow(asdict(row))
    (folder / "manifest.json").write_text(
        json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
