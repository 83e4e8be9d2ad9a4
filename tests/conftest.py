"""Shared helpers: build folders of matters in a temporary directory and check them."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
import yaml

from generator.check import check_folder

REPO = Path(__file__).resolve().parent.parent
SAMPLE_MATTERS = REPO / "matters"
TODAY = dt.date(2026, 11, 1)

DEPARTMENT = {
    "code": "demo",
    "name": "示例市示范区示范局",
    "locations": [{"name": "示范区政务服务中心", "address": "示例市示范区示范大道 100 号",
                   "hours": "周一至周五 9:00–17:00", "phone": "0000-60000001"}],
    "consult": [{"type": "电话", "value": "0000-60000001"}],
    "complaint": [{"type": "电话", "value": "12345", "note": "政务服务便民热线"}],
}

MATTER = {
    "id": "demo-matter",
    "name": "示范事项登记",
    "type": "行政确认",
    "audience": ["自然人"],
    "level": "县级",
    "department": "demo",
    "summary": "需要办理示范事项的人来这里办。",
    "conditions": ["年满十八周岁"],
    "legal_basis": [{"law": "《中华人民共和国行政许可法》", "article": "第四十二条", "text": "条文。"}],
    "materials": [{"name": "居民身份证", "form": "原件"}],
    "process": [{"name": "受理", "days": 1}, {"name": "决定", "days": 2}],
    "time_limit": {"case_type": "承诺件", "legal": {"value": 20, "unit": "工作日"},
                   "promised": {"value": 5, "unit": "工作日"}},
    "visits": 1,
    "visit_reason": "须本人签字",
    "channels": [{"type": "窗口办理"}],
    "fees": [],
    "result": {"name": "登记证明", "type": "证照"},
    "updated": "2026-10-01",
}


def matter(**changes) -> dict:
    data = copy.deepcopy(MATTER)
    data.update(changes)
    return data


def dump(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


class Folder:
    """A matters/ folder under tmp_path that tests fill file by file."""

    def __init__(self, root: Path):
        self.root = root / "matters"
        self.root.mkdir(parents=True, exist_ok=True)

    def department(self, code: str = "demo", **changes) -> Path:
        data = copy.deepcopy(DEPARTMENT)
        data["code"] = code
        data.update(changes)
        data = {k: v for k, v in data.items() if v is not None}
        return self.write(f"{code}/_department.yaml", dump(data))

    def matter(self, data: dict | None = None, **changes) -> Path:
        data = data if data is not None else matter(**changes)
        return self.write(f"{data['department']}/{data['id']}.yaml", dump(data))

    def write(self, relative: str, content: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    def check(self, on: dt.date = TODAY):
        return check_folder(self.root, on)


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Folder:
    monkeypatch.chdir(tmp_path)  # so messages show paths like matters/demo/x.yaml
    return Folder(tmp_path)


@pytest.fixture
def demo(folder) -> Folder:
    """A folder with the demo department and one valid matter."""
    folder.department()
    folder.matter()
    return folder


def rules_of(result) -> set[str]:
    return {d.rule for d in result.diagnostics}


SITE_URL = "https://banshi.shifanqu.example/"


def build_site(matters: Path, out: Path, with_pdf: bool = True, cache: Path | None = None, today=TODAY):
    from generator.build import BuildOptions, build

    options = BuildOptions(matters=matters, out=out, site_url=SITE_URL, config=REPO / "mkdocs.yml",
                           with_pdf=with_pdf, today=today, cache=cache)
    result = build(options)
    assert not result.check.errors, [d.text() for d in result.check.errors]
    return result


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory) -> Path:
    """The sample data built once, with sheets, for every test that reads a built site."""
    out = tmp_path_factory.mktemp("sample") / "site"
    build_site(SAMPLE_MATTERS, out)
    return out
