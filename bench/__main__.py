"""Benchmarks: `python -m bench [validate] [--count N]` (also `make bench`).

Each benchmark prints its figures, a baseline measured in the same process on the same
input (so a slow machine slows both), and whether the target is met. Exit code 1 when a
target is missed. Timings are the best of a few runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.synthetic import make  # noqa: E402
from generator.check import check_folder  # noqa: E402


def best_of(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def bench_validate(count: int, workdir: Path) -> bool:
    folder = make(workdir / "matters", count)
    files = sorted(folder.rglob("*.yaml"))
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    def parse_only():
        for path in files:
            yaml.load(path.read_bytes(), Loader=loader)

    today = dt.date(2026, 11, 22)
    result = check_folder(folder, today)
    assert not result.errors, result.errors[:3]
    baseline = best_of(3, parse_only)
    full = best_of(3, lambda: check_folder(folder, today))
    target = 3.0
    print(f"校验 {count} 个事项（{len(files)} 个文件）")
    print(f"  基线：仅用 libyaml 解析          {baseline:6.2f} s")
    print(f"  guide validate 全部检查          {full:6.2f} s   （基线的 {full / baseline:.1f} 倍，"
          f"每个事项 {full / count * 1000:.2f} ms）")
    print(f"  目标 < {target:.0f} s：{'达到' if full < target else '未达到'}")
    return full < target


def _peak_mb() -> float:
    """Peak resident memory of this process and of the finished children (MkDocs runs here;
    Pagefind and the sheet workers are children)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def _first_search_bytes(site_dir: Path, query: str) -> int | None:
    """Bytes the browser fetches from /pagefind/ for the first search (None without Chromium)."""
    if not Path("/usr/bin/chromium").exists():
        return None
    import functools
    import http.server
    import threading
    from urllib.parse import quote

    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sizes = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"])
            page = browser.new_page()
            page.on("response", lambda r: sizes.append(len(r.body())) if "/pagefind/" in r.url else None)
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/search/?q={quote(query)}")
            page.wait_for_function("() => /^(找到|没有找到)/.test(document.querySelector('.guide-search__status').textContent)")
            browser.close()
    finally:
        server.shutdown()
    return sum(sizes)


def bench_site(count: int, workdir: Path) -> bool:
    from generator import site
    from generator.build import BuildOptions, build
    from generator.progress import Progress

    folder = make(workdir / f"matters-{count}", count)
    out = workdir / f"site-{count}"
    options = BuildOptions(matters=folder, out=out, site_url="https://banshi.example/", config=REPO / "mkdocs.yml",
                           with_pdf=False, today=dt.date(2026, 11, 22))
    progress = Progress(enabled=False)
    start = time.perf_counter()
    result = build(options, progress)
    total = time.perf_counter() - start
    assert not result.check.errors
    timings = result.timings

    # The same generated Markdown through a bare `mkdocs build`, for the overhead ratio.
    from generator.build import write_sources

    bare_dir = workdir / f"bare-{count}"
    write_sources(result.check.catalog, site.load_settings(options.config), bare_dir, "https://banshi.example/", options)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(bare_dir / "mkdocs.yml")],
                          capture_output=True, text=True)
    bare = time.perf_counter() - start
    assert done.returncode == 0, done.stderr

    sizes = sorted(p.stat().st_size for p in (out / "matters").glob("*/index.html"))
    search_bytes = _first_search_bytes(out, "低保")
    overhead = (total - timings.get("MkDocs 排版", 0)) / bare
    target = 0.35
    print(f"生成网站：{count} 个事项（不含明白纸），共 {total:.1f} s，峰值内存 {_peak_mb():.0f} MB")
    for stage, seconds in timings.items():
        print(f"  {stage:<10} {seconds:7.2f} s")
    print(f"  基线：同样的 Markdown 直接运行 mkdocs build  {bare:.1f} s")
    print(f"  生成器 + Pagefind 的额外开销：基线的 {overhead:.0%}（目标 ≤ {target:.0%}：{'达到' if overhead <= target else '未达到'}）")
    print(f"  事项页面 HTML：中位数 {sizes[len(sizes) // 2] / 1024:.1f} KB，最大 {sizes[-1] / 1024:.1f} KB（目标 < 60 KB）")
    if search_bytes is not None:
        print(f"  首次搜索“低保”传输 {search_bytes / 1024:.0f} KB（Pagefind 文件）")
    return overhead <= target and sizes[-1] < 60 * 1024


def bench_sheets(count: int, workdir: Path) -> bool:
    import shutil

    import typst

    from generator import sheet

    folder = make(workdir / f"matters-sheets-{count}", count)
    today = dt.date(2026, 11, 22)
    catalog = check_folder(folder, today).catalog
    matters = list(catalog.matters.values())
    cache = workdir / "sheet-cache"
    shutil.rmtree(cache, ignore_errors=True)
    cores = min(os.cpu_count() or 1, len(matters))

    # Baseline: a trivial one-line document through the same Typst binding.
    trivial = workdir / "trivial.typ"
    trivial.write_text("#set page(paper: \"a4\")\n#sys.inputs.x\n", encoding="utf-8")
    compiler = typst.Compiler(str(trivial))
    start = time.perf_counter()
    for i in range(100):
        compiler.compile(format="pdf", sys_inputs={"x": str(i)})
    baseline = (time.perf_counter() - start) / 100

    start = time.perf_counter()
    sheet.render_many(matters, "https://banshi.example/", cache=cache)
    cold = time.perf_counter() - start
    levels = {}
    for s in sheet.render_many(matters, "https://banshi.example/", cache=cache):
        levels[s.level] = levels.get(s.level, 0) + 1

    # Change one matter and rebuild with the cache warm.
    changed = list(matters)
    first = changed[0]
    path = first.source.path
    text = path.read_text(encoding="utf-8").replace(first.name, first.name + "（已修改）", 1)
    path.write_text(text, encoding="utf-8")
    changed_catalog = check_folder(folder, today).catalog
    start = time.perf_counter()
    sheet.render_many(list(changed_catalog.matters.values()), "https://banshi.example/", cache=cache)
    warm = time.perf_counter() - start

    per_core = count / cold / cores
    print(f"明白纸：{count} 份，{cores} 个核")
    print(f"  基线：Typst 编译一行的空白 A4          {baseline * 1000:6.1f} ms/份")
    print(f"  冷启动（无缓存）                       {cold:6.2f} s，{cold / count * 1000:.1f} ms/份，"
          f"每核 {per_core:.0f} 份/s（目标 ≥ 100：{'达到' if per_core >= 100 else '未达到'}）")
    print(f"  改动 1 个事项后重建（缓存）            {warm:6.2f} s（目标 < 2 s：{'达到' if warm < 2 else '未达到'}）")
    print(f"  排版密度分布（0 最宽松）：{dict(sorted(levels.items()))}")
    return per_core >= 100 and warm < 2


BENCHMARKS = {"validate": bench_validate, "sheets": bench_sheets, "site": bench_site}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="性能基准")
    parser.add_argument("which", nargs="*", metavar="名称", help=f"要运行的基准：{'、'.join(BENCHMARKS)}（默认全部）")
    parser.add_argument("--count", type=int, action="append", help="生成的事项数，可重复（默认 1000；site 默认 1000 和 5000）")
    args = parser.parse_args()
    unknown = [name for name in args.which if name not in BENCHMARKS]
    if unknown:
        parser.error(f"没有这个基准：{'、'.join(unknown)}")
    ok = True
    with tempfile.TemporaryDirectory(prefix="guide-bench-") as tmp:
        for name in args.which or BENCHMARKS:
            counts = args.count or ([1000, 5000] if name == "site" else [1000])
            for count in counts:
                ok &= BENCHMARKS[name](count, Path(tmp))
                print()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
