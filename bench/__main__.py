"""Benchmarks: `python -m bench [validate] [--count N]` (also `make bench`).

Each benchmark prints its figures, a baseline measured in the same process on the same
input (so a slow machine slows both), and whether the target is met. Exit code 1 when a
target is missed. Timings are the best of a few runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

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


BENCHMARKS = {"validate": bench_validate}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="性能基准")
    parser.add_argument("which", nargs="*", metavar="名称", help=f"要运行的基准：{'、'.join(BENCHMARKS)}（默认全部）")
    parser.add_argument("--count", type=int, default=1000, help="生成的事项数（默认 1000）")
    args = parser.parse_args()
    unknown = [name for name in args.which if name not in BENCHMARKS]
    if unknown:
        parser.error(f"没有这个基准：{'、'.join(unknown)}")
    ok = True
    with tempfile.TemporaryDirectory(prefix="guide-bench-") as tmp:
        for name in args.which or BENCHMARKS:
            ok &= BENCHMARKS[name](args.count, Path(tmp))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
