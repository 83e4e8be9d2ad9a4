"""Lay out the generated Markdown with MkDocs, then index it with Pagefind.

This is the only module that knows about MkDocs and Pagefind, so the rest of the generator
stays engine-independent: it writes Markdown, assets and a config, and asks for a folder
of HTML back.
"""

from __future__ import annotations

import hashlib
import logging
import os
import posixpath
import re
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path

import yaml

from .diagnostics import BuildError

REPO = Path(__file__).resolve().parent.parent

NAV = [
    {"首页": "index.md"},
    {"个人办事": "audience/geren.md"},
    {"法人办事": "audience/faren.md"},
    {"服务主题": "topics/index.md"},
    {"部门": "departments/index.md"},
    {"A–Z": "az.md"},
    {"搜索": "search.md"},
]


def load_settings(config_path: Path) -> dict:
    """The human-edited mkdocs.yml, as plain data."""
    try:
        settings = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise BuildError(f"无法读取网站设置 {config_path}：{exc}") from None
    if not isinstance(settings, dict) or "site_name" not in settings:
        raise BuildError(f"{config_path} 中缺少 site_name（网站名称）。")
    return settings


def write_config(settings: dict, config_dir: Path, docs: Path, site: Path, site_url: str, target: Path) -> Path:
    """Write the generated MkDocs config: the human settings plus what the build decides."""
    config = dict(settings)
    theme = dict(config.get("theme") or {"name": "material"})
    if theme.get("custom_dir"):
        theme["custom_dir"] = str((config_dir / theme["custom_dir"]).resolve())
    config.update(
        theme=theme,
        docs_dir=str(docs.resolve()),
        site_dir=str(site.resolve()),
        site_url=site_url,
        nav=NAV,
        strict=True,
        use_directory_urls=True,
        # Pagefind replaces Material's search; no other plugin is needed.
        plugins=[],
    )
    target.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@contextmanager
def _source_date(epoch: int):
    """MkDocs stamps the sitemap with the build date; pin it so builds are reproducible."""
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if old is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


def run_mkdocs(config_file: Path, source_epoch: int) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logger = logging.getLogger("mkdocs")
    handler = _Collect()
    logger.addHandler(handler)
    old_propagate = logger.propagate
    logger.propagate = False  # MkDocs's own INFO lines would break the quiet CI output
    try:
        with _source_date(source_epoch):
            build(load_config(config_file=str(config_file)))
    except MkDocsException as exc:
        details = "\n".join(handler.messages) or str(exc)
        raise BuildError(f"MkDocs 构建失败（严格模式下的警告也会导致失败）：\n{details}") from None
    finally:
        logger.removeHandler(handler)
        logger.propagate = old_propagate
    if handler.messages:
        raise BuildError("MkDocs 报告了问题：\n" + "\n".join(handler.messages))


def pagefind_executable() -> Path:
    """The extended Pagefind binary: only it segments Chinese words."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise BuildError("没有安装 Pagefind 扩展版（pagefind[extended]），无法建立中文搜索索引。请运行 make site。") from None
    return get_executable()


PAGEFIND_ARGS = ("--silent",)


def run_pagefind(site: Path, cache: Path | None = None) -> None:
    """Index the built folder once with the Pagefind CLI.

    Pagefind writes its filter and metadata files in a different order on every run
    (Pagefind/pagefind#638), so the index is cached under a hash of the HTML it reads:
    the same pages give back the same index files, and an unchanged site is not re-indexed.
    """
    key = _index_key(site)
    stored = cache / key if cache else None
    if stored and (stored / "pagefind-entry.json").is_file():
        shutil.copytree(stored, site / "pagefind")
        return
    done = subprocess.run([str(pagefind_executable()), "--site", str(site), *PAGEFIND_ARGS],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise BuildError(f"Pagefind 建立搜索索引失败：\n{done.stdout}{done.stderr}")
    if stored:
        shutil.rmtree(cache, ignore_errors=True)  # one index is enough to keep
        shutil.copytree(site / "pagefind", stored)


def _index_key(site: Path) -> str:
    digest = hashlib.sha256(str(pagefind_executable().stat().st_size).encode() + repr(PAGEFIND_ARGS).encode())
    for page in sorted(site.rglob("*.html")):
        digest.update(str(page.relative_to(site)).encode())
        digest.update(page.read_bytes())
    return digest.hexdigest()[:32]


_LINK = re.compile(r'(?:href|src)="([^"]+)"')


def broken_links(site: Path, base_path: str = "/") -> list[str]:
    """Internal links in the built HTML that point at nothing, as "page → link" lines.

    MkDocs checks links written in Markdown; ours are in HTML blocks, so they are checked here.
    `base_path` is the path of the site URL, which root-relative links (404.html) start with.
    Paths are resolved as strings against a set of the site's files: thousands of pages with
    dozens of links each make filesystem look-ups the slow part.
    """
    files = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    broken = []
    for relative in sorted(f for f in files if f.endswith(".html")):
        folder = posixpath.dirname(relative)
        text = (site / relative).read_text(encoding="utf-8")
        for link in sorted(set(_LINK.findall(text))):
            if re.match(r"^[a-z][a-z0-9+.-]*:", link) or link.startswith(("#", "//")):
                continue
            target = link.split("#")[0].split("?")[0]
            if not target:
                continue
            if target.startswith("/"):
                if not target.startswith(base_path):
                    broken.append(f"{relative} → {link}")
                    continue
                resolved = posixpath.normpath(target[len(base_path):] or ".")
            else:
                resolved = posixpath.normpath(posixpath.join(folder, target))
            index = "index.html" if resolved == "." else f"{resolved}/index.html"
            if resolved not in files and index not in files:
                broken.append(f"{relative} → {link}")
    return broken
