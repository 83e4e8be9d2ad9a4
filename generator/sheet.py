"""The 明白纸: one A4 PDF per matter, typeset by Typst from the model.

Data goes to Typst as JSON through sys_inputs, never pasted into markup, so a `#` or `]`
in a field is just a character. One Compiler is reused for every sheet (fonts are loaded
once); many sheets are spread over all cores; and a sheet whose input has not changed is
copied from a content-hash cache kept outside the site instead of being typeset again.
"""

from __future__ import annotations

import hashlib
import io
import json
import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import segno

from . import facts
from .diagnostics import BuildError
from .model import Catalog, Matter

TEMPLATES = Path(__file__).resolve().parent / "templates"
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts")
NEEDED_FONTS = {"NotoSerifCJK": "Noto Serif CJK SC", "NotoSansCJK": "Noto Sans CJK SC"}
MAX_LEVEL = 2
# Below this many sheets to typeset, starting worker processes costs more than it saves.
PARALLEL_FROM = 16


@dataclass(frozen=True)
class SheetOptions:
    bleed: float = 0.0  # mm of background beyond the A4 trim on every side
    marks: bool = False  # crop marks, drawn outside the bleed
    archival: bool = False  # PDF/A-2b

    def key(self) -> str:
        return f"b{self.bleed}-m{int(self.marks)}-a{int(self.archival)}"


@dataclass(frozen=True)
class Sheet:
    matter_id: str
    pdf: bytes
    pages: int
    level: int


# --- fonts ----------------------------------------------------------------------------

def font_dirs() -> list[Path]:
    """Folders holding the Noto CJK fonts; a Chinese BuildError naming the package if absent."""
    extra = os.environ.get("GUIDE_FONT_DIR")
    roots = ([Path(extra)] if extra else []) + [d for d in FONT_DIRS if d.is_dir()]
    found: dict[str, Path] = {}
    for root in roots:
        for path in root.rglob("Noto*CJK*"):
            for prefix in NEEDED_FONTS:
                if path.name.startswith(prefix) and path.suffix.lower() in (".ttc", ".otf", ".ttf"):
                    found.setdefault(prefix, path.parent)
    missing = [NEEDED_FONTS[p] for p in NEEDED_FONTS if p not in found]
    if missing:
        raise BuildError(
            f"找不到中文字体 {'、'.join(missing)}，无法生成明白纸。"
            "请安装 Debian/Ubuntu 软件包 fonts-noto-cjk：sudo apt-get install fonts-noto-cjk"
            "（make site 会自动安装），或用环境变量 GUIDE_FONT_DIR 指定字体目录。")
    return sorted(set(found.values()))


# --- what the sheet says --------------------------------------------------------------

def matter_url(matter: Matter, site_url: str) -> str:
    return f"{site_url}matters/{matter.id}/"


def qr_svg(url: str) -> str:
    """The QR code as vector SVG (no quiet zone: the layout leaves white space around it)."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="svg", xmldecl=False, border=0, scale=4)
    return buffer.getvalue().decode("ascii")


def _material(matter: Matter, material) -> dict:
    detail = f"{facts.material_form_words(material.form, material.copies)} · {material.where_to_get}"
    if material.note:
        detail += f" · {material.note}"
    flag = material.necessity if material.necessity != "必要" else ""
    if material.scenarios and len(material.scenarios) < len(matter.scenarios):
        names = [s.name for s in matter.scenarios if s.id in material.scenarios]
        flag = "；".join(x for x in (flag, "仅" + "、".join(names)) if x)
    return {"name": material.name, "detail": detail, "flag": flag}


def _contact(c) -> str:
    return f"{c.type} {c.value}" + (f"（{c.note}）" if c.note else "")


def view(matter: Matter, site_url: str, level: int = 0, options: SheetOptions = SheetOptions()) -> dict:
    """Everything the Typst template prints, as plain strings and lists."""
    tl = matter.time_limit
    result = matter.result.name + (f"（{matter.result.delivery}）" if matter.result.delivery else "")
    locations = []
    for loc in matter.locations:
        lines = [loc.address]
        lines += [x for x in (loc.window and f"窗口：{loc.window}", loc.hours and f"时间：{loc.hours}",
                              loc.phone and f"电话：{loc.phone}") if x]
        locations.append({"name": loc.name, "lines": lines})
    complaint = facts.hotline_first(matter.complaint)
    hotline = facts.has_hotline(complaint)
    return {
        "name": matter.name,
        "department": matter.department.name,
        "kind": tl.case_type,
        "promised": facts.promised_words(tl),
        "legal": facts.legal_words(tl),
        "visits": facts.visits_words(matter.visits),
        "visit_reason": matter.visit_reason if matter.visits else "",
        "fee_short": "不收费" if matter.free else "收费",
        "fees": [facts.fee_words(f) for f in matter.fees],
        "conditions": list(matter.conditions),
        "materials": [_material(matter, m) for m in matter.materials],
        "steps": [{"name": s.name, "meta": "当场" if s.days == 0 else (f"{s.days} 天" if s.days else "")}
                  for s in matter.process],
        "channels": [c.type + (f"：{c.url}" if c.url else "") for c in matter.channels],
        "result": result,
        "locations": locations,
        "consult": [_contact(c) for c in matter.consult],
        # 12345 has its own box on the sheet; list the other channels beside it.
        "complaint": [_contact(c) for c in complaint if not (hotline and c.value.strip() == facts.HOTLINE)],
        "hotline": hotline,
        "remedies": facts.remedies_words(matter),
        "status": matter.status,
        "status_notice": facts.status_notice(matter),
        "updated": matter.updated.isoformat(),
        "digest": matter.digest,
        "url": matter_url(matter, site_url),
        "band": 34,
        "level": level,
        "bleed": options.bleed,
        "marks": options.marks,
    }


# --- typesetting ----------------------------------------------------------------------

_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def count_pages(pdf: bytes) -> int:
    return len(_PAGE.findall(pdf))


class Renderer:
    """One Typst compiler, fonts loaded once, reused for every sheet of a process."""

    def __init__(self, main: str = "sheet.typ"):
        import typst

        self.compiler = typst.Compiler(str(TEMPLATES / main), root=str(TEMPLATES),
                                       font_paths=[str(d) for d in font_dirs()], ignore_system_fonts=True)

    def compile(self, data: dict, qr: str, archival: bool = False) -> bytes:
        import typst

        standards = ["a-2b"] if archival else []
        try:
            return self.compiler.compile(format="pdf", sys_inputs={"data": json.dumps(data, ensure_ascii=False), "qr": qr},
                                         pdf_standards=standards)
        except typst.TypstError as exc:
            raise BuildError(f"Typst 排版“{data.get('name', '')}”失败：{exc}") from None

    def sheet(self, data: dict, qr: str, options: SheetOptions) -> tuple[bytes, int, int]:
        """Typeset at the roomiest density that fits one page; past the tightest, allow page 2."""
        for level in range(MAX_LEVEL + 1):
            pdf = self.compile({**data, "level": level}, qr, options.archival)
            pages = count_pages(pdf)
            if pages == 1:
                break
        return pdf, pages, level


# Worker processes keep their own Renderer: a Typst compiler cannot cross processes.
_worker: Renderer | None = None


def _renderer() -> Renderer:
    global _worker
    if _worker is None:
        _worker = Renderer()
    return _worker


def _work(job: tuple[str, dict, SheetOptions]) -> tuple[str, bytes, int, int]:
    matter_id, data, options = job
    # The QR code is drawn here, in the worker: it costs as much as a third of a sheet.
    pdf, pages, level = _renderer().sheet(data, qr_svg(data["url"]), options)
    return matter_id, pdf, pages, level


def template_fingerprint() -> str:
    """Changes whenever anything that shapes a sheet changes, besides its data."""
    import typst

    digest = hashlib.sha256(f"typst {getattr(typst, '__version__', '')} segno {segno.__version__}".encode())
    for path in sorted(TEMPLATES.glob("sheet*.typ")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def render_many(matters: list[Matter], site_url: str, options: SheetOptions = SheetOptions(),
                cache: Path | None = None, progress=None) -> list[Sheet]:
    """Sheets for `matters` in order, from the cache where the input is unchanged."""
    font_dirs()  # fail early, in Chinese, when the fonts are missing
    fingerprint = template_fingerprint()
    jobs, keys, done = [], {}, {}
    for matter in matters:
        data = view(matter, site_url, 0, options)
        # The QR code depends only on the URL, which is in `data`, so it is not part of the key.
        key = hashlib.sha256(json.dumps([fingerprint, options.key(), data], ensure_ascii=False,
                                        sort_keys=True).encode("utf-8")).hexdigest()[:32]
        keys[matter.id] = key
        cached = _from_cache(cache, key, matter.id)
        if cached:
            done[matter.id] = cached
        else:
            jobs.append((matter.id, data, options))
    pool = _pool(len(jobs)) if len(jobs) >= PARALLEL_FROM else None
    try:
        results = pool.map(_work, jobs, chunksize=8) if pool else map(_work, jobs)
        for count, (matter_id, pdf, pages, level) in enumerate(results, start=len(done) + 1):
            if progress:
                progress.step(count, len(matters))
            done[matter_id] = Sheet(matter_id, pdf, pages, level)
            _to_cache(cache, keys[matter_id], done[matter_id])
    finally:
        if pool:
            pool.shutdown()
    return [done[m.id] for m in matters]


def _pool(jobs: int) -> ProcessPoolExecutor | None:
    workers = min(os.cpu_count() or 1, jobs)
    if workers < 2:
        return None
    # spawn, not fork: a process that already ran Typst has threads whose locks a fork would copy.
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=_renderer)


def _from_cache(cache: Path | None, key: str, matter_id: str) -> Sheet | None:
    if cache is None:
        return None
    pdf_path, meta_path = cache / f"{key}.pdf", cache / f"{key}.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        return Sheet(matter_id, pdf_path.read_bytes(), meta["pages"], meta["level"])
    except (OSError, ValueError, KeyError):
        return None


def _to_cache(cache: Path | None, key: str, sheet: Sheet) -> None:
    if cache is None:
        return
    cache.mkdir(parents=True, exist_ok=True)
    (cache / f"{key}.pdf").write_bytes(sheet.pdf)
    (cache / f"{key}.json").write_text(json.dumps({"pages": sheet.pages, "level": sheet.level}), encoding="utf-8")


def write_all(catalog: Catalog, folder: Path, site_url: str, cache: Path | None, progress=None) -> list[Sheet]:
    """The site's sheets: /pdf/<id>.pdf for every matter."""
    folder.mkdir(parents=True, exist_ok=True)
    sheets = render_many(list(catalog.matters.values()), site_url, SheetOptions(), cache, progress)
    for sheet in sheets:
        (folder / f"{sheet.matter_id}.pdf").write_bytes(sheet.pdf)
    return sheets

