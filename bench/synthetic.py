"""Make a large folder of realistic matters by cloning the sample data.

Every sample matter is copied N/13 times with a new id (`<id>-<n>`), a varied name, and its
prerequisites and related ids pointing at clones of the same round, so the copies pass
every check the originals pass. Departments are copied as they are.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

SAMPLE = Path(__file__).resolve().parent.parent / "matters"


def make(target: Path, count: int, sample: Path = SAMPLE) -> Path:
    """Write `count` matters under `target` (replaced if it exists) and return it."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    originals = []
    for department in sorted(sample.glob("*/_department.yaml")):
        (target / department.parent.name).mkdir()
        shutil.copy(department, target / department.parent.name / department.name)
    for path in sorted(sample.glob("*/*.yaml")):
        if path.name != "_department.yaml":
            originals.append(yaml.safe_load(path.read_text(encoding="utf-8")))
    clones = []
    for n in range(count):
        data = dict(originals[n % len(originals)])
        round_ = n // len(originals)
        data["id"] = f"{data['id']}-{round_:04d}"
        data["name"] = f"{data['name']}（第 {round_ + 1} 批）"
        data["_round"] = round_
        clones.append(data)
    ids = {data["id"] for data in clones}
    for data in clones:
        suffix = f"-{data.pop('_round'):04d}"
        for key in ("prerequisites", "related"):
            if key in data:
                # the last, incomplete round may lack some originals: drop those links
                data[key] = [ref + suffix for ref in data[key] if ref + suffix in ids]
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        (target / data["department"] / f"{data['id']}.yaml").write_text(text, encoding="utf-8")
    return target
