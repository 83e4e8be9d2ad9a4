"""`guide build`: check → pages → MkDocs → sheets → search index → swap into place.

Everything is built in a staging folder next to the output and moved in only when every
stage succeeded, so a failed build never leaves a half-site and never damages the last
good one.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from . import pages, site
from .check import CheckResult, check_folder
from .diagnostics import BuildError
from .model import Catalog
from .progress import Progress


@dataclass
class BuildOptions:
    matters: Path
    out: Path
    site_url: str
    config: Path
    with_pdf: bool = True
    today: dt.date | None = None
    cache: Path | None = None  # where unchanged sheets and search indexes are kept between builds
    history: bool = True  # read each matter's change history from git


@dataclass
class BuildResult:
    check: CheckResult
    timings: dict[str, float] = field(default_factory=dict)
    pages: int = 0


def normalise_site_url(url: str) -> str:
    url = url.strip()
    if not url.startswith(("http://", "https://")):
        raise BuildError(f"网站地址“{url}”应以 http:// 或 https:// 开头，如 https://banshi.example.gov.cn/。")
    return url if url.endswith("/") else url + "/"


def source_epoch(catalog: Catalog) -> int:
    """A build date that depends only on the data: the newest update date."""
    newest = max((m.updated for m in catalog.matters.values()), default=dt.date(2020, 1, 1))
    return calendar.timegm(newest.timetuple())


def check_output_folder(out: Path, matters: Path) -> None:
    """The output folder is replaced whole: it must not hold the data or the project."""
    target, data = out.resolve(), matters.resolve()
    if target == data or target in data.parents or target == Path.cwd().resolve() or (target / ".git").exists():
        raise BuildError(f"输出目录 {out} 会被整个替换，不能是当前目录、项目目录或包含事项目录的目录。请换一个，如 site。")


def build(options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    progress = progress or Progress(enabled=False)
    site_url = normalise_site_url(options.site_url)
    check_output_folder(options.out, options.matters)
    progress.stage("校验事项")
    result = BuildResult(check=check_folder(options.matters, options.today))
    if result.check.errors:
        progress.done()
        return result
    catalog = result.check.catalog
    settings = site.load_settings(options.config)

    with replacing(options.out, "site") as staging:
        built = staging / "site"
        progress.stage("生成页面")
        written = write_sources(catalog, settings, staging, site_url, options)
        result.pages = written

        progress.stage("MkDocs 排版")
        site.run_mkdocs(staging / "mkdocs.yml", source_epoch(catalog))

        if options.with_pdf:
            from . import sheet

            progress.stage("生成明白纸")
            sheet.write_all(catalog, built / "pdf", site_url, _sub(options.cache, "sheets"), progress)

        progress.stage("导出数据")
        write_data(catalog, built / "data")

        progress.stage("检查链接")
        broken = site.broken_links(built, urlparse(site_url).path)
        if broken:
            raise BuildError("生成的网站中有失效的内部链接：\n" + "\n".join(broken[:20]))

        progress.stage("建立搜索索引")
        site.run_pagefind(built, _sub(options.cache, "search"))

        write_stamp(built, catalog)
        progress.stage("替换输出目录")
    result.timings = progress.done()
    return result


def _sub(cache: Path | None, name: str) -> Path | None:
    return cache / name if cache else None


def write_sources(catalog: Catalog, settings: dict, staging: Path, site_url: str, options: BuildOptions) -> int:
    """Write the Markdown pages and the generated MkDocs config into `staging`."""
    from .check import today as current_day

    docs = staging / "docs"
    histories = None
    if options.history:
        from .history import histories as read_histories

        histories = read_histories(options.matters)
    all_pages = pages.all_pages(catalog, settings["site_name"], options.today or current_day(), options.with_pdf,
                                histories)
    pages.write(all_pages, docs)
    site.write_config(settings, options.config.resolve().parent, docs, staging / "site", site_url,
                      staging / "mkdocs.yml")
    return len(all_pages)


def write_data(catalog: Catalog, folder: Path) -> None:
    """Open data: every matter as JSON, for other systems and for the record."""
    folder.mkdir(parents=True, exist_ok=True)
    matters = [{**m.content(), "digest": m.digest} for m in catalog.matters.values()]
    departments = [{"code": d.code, "name": d.name, "website": d.website} for d in catalog.departments.values()]
    data = {"departments": departments, "matters": matters}
    (folder / "matters.json").write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                         encoding="utf-8")


def write_stamp(built: Path, catalog: Catalog) -> None:
    """The one file that differs between two builds of the same input."""
    stamp = {
        "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "matters": len(catalog.matters),
    }
    (built / "build-info.json").write_text(json.dumps(stamp, ensure_ascii=False) + "\n", encoding="utf-8")


@contextmanager
def replacing(out: Path, name: str):
    """A scratch folder next to `out`. Whatever the block writes to `<scratch>/<name>` replaces
    `out` when the block succeeds; if it fails, `out` is untouched and the scratch is removed."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-building-", dir=out.parent))
    try:
        yield staging
        swap(staging / name, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def swap(built: Path, out: Path) -> None:
    """Move the new site into place; the old one is removed only after the move."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}-old-{dt.datetime.now().strftime('%Y%m%d%H%M%S%f')}")
        out.rename(old)
    built.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
