"""Check a folder of matters: load → schema → model (defaults merged) → rules.

This is the one entry point the CLI and the build use. It never raises for bad data:
every problem becomes a Diagnostic, and the Catalog is only handed out when there are
no errors, so nothing can be rendered from data that failed its checks.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from . import schema
from .diagnostics import ERROR, Diagnostic, GuideError
from .load import Document, display_path, load_file
from .model import Catalog, Department, Matter, build_department, build_matter
from .rules import CATALOG_RULES, MATTER_RULES, Finding, Rule

DEPARTMENT_FILE = "_department.yaml"
# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FROM = 200


@dataclass
class CheckResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    catalog: Catalog | None = None  # None when there is any error

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_error]


def today() -> dt.date:
    """Today, or GUIDE_TODAY (YYYY-MM-DD) so builds and tests can be reproduced."""
    fixed = os.environ.get("GUIDE_TODAY")
    return dt.date.fromisoformat(fixed) if fixed else dt.date.today()


def check_folder(matters_dir: Path, on: dt.date | None = None) -> CheckResult:
    on = on or today()
    result = CheckResult()
    if not matters_dir.is_dir():
        raise GuideError(Diagnostic(display_path(matters_dir), 1, 1, ERROR, "L-no-folder", "",
                                    "找不到事项目录。请用 --matters 指定存放事项的目录。"))
    department_files, matter_files = _discover(matters_dir, result)
    result.files = len(department_files) + len(matter_files)

    departments = _check_departments(department_files, result)
    matters = _check_matters(matter_files, departments, on, result)
    _apply_catalog_rules(matters, result)

    result.diagnostics.sort(key=lambda d: (d.file, d.line, d.column, d.rule))
    if not result.errors:
        result.catalog = Catalog(
            departments=dict(sorted(departments.items())),
            matters={m.id: m for m in sorted(matters, key=lambda m: m.id)},
        )
    return result


def _discover(matters_dir: Path, result: CheckResult) -> tuple[list[Path], list[Path]]:
    department_files, matter_files = [], []
    for path in sorted(matters_dir.rglob("*")):
        relative = path.relative_to(matters_dir)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        if path.suffix == ".yml":
            _file_error(result, path, "L-extension", f"扩展名应为 .yaml，请把文件改名为“{path.stem}.yaml”。")
        elif path.suffix != ".yaml":
            continue
        elif len(relative.parts) != 2:
            _file_error(result, path, "L-location", "事项文件必须放在部门目录下：matters/<部门代码>/<事项标识>.yaml。")
        elif path.name == DEPARTMENT_FILE:
            department_files.append(path)
        else:
            matter_files.append(path)
    return department_files, matter_files


def _file_error(result: CheckResult, path: Path, rule: str, message: str) -> None:
    result.diagnostics.append(Diagnostic(display_path(path), 1, 1, ERROR, rule, "", message))


def _load_one(path: Path, kind: str) -> tuple[Document | None, list[Diagnostic]]:
    """Load and schema-check one file: the Document if it passed, and what was found."""
    try:
        doc = load_file(path)
    except GuideError as exc:
        return None, exc.diagnostics
    problems = schema.check(doc, kind)
    return (None if problems else doc), problems


def _load_all(paths: list[Path], kind: str, result: CheckResult) -> list[Document]:
    """Load and schema-check files, on every core when there are many (it is most of the work)."""
    workers = min(os.cpu_count() or 1, 8)
    if len(paths) < PARALLEL_FROM or workers < 2:
        outcomes = [_load_one(path, kind) for path in paths]
    else:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            outcomes = list(pool.map(_load_one, paths, [kind] * len(paths), chunksize=64))
    docs = []
    for doc, problems in outcomes:
        result.diagnostics.extend(problems)
        if doc is not None:
            docs.append(doc)
    return docs


def _check_departments(paths: list[Path], result: CheckResult) -> dict[str, Department]:
    departments = {}
    for doc in _load_all(paths, schema.DEPARTMENT, result):
        path = doc.path
        department = build_department(doc)
        if department.code != path.parent.name:
            span = doc.span(("code",))
            result.diagnostics.append(Diagnostic(
                doc.display, span.line, span.column, ERROR, "R-department-code-directory",
                schema.field_title(schema.DEPARTMENT, ("code",)),
                f"部门代码“{department.code}”与所在目录“{path.parent.name}”不一致。"))
            continue
        departments[department.code] = department
    return departments


def _check_matters(paths: list[Path], departments: dict[str, Department], on: dt.date,
                   result: CheckResult) -> list[Matter]:
    matters = []
    for doc in _load_all(paths, schema.MATTER, result):
        department = departments.get(doc.data["department"])
        if department is None:
            _report(result, doc, ("department",), "R-unknown-department", ERROR,
                    _unknown_department_message(doc.data["department"], departments))
            continue
        matter = build_matter(doc, department)
        for rule in MATTER_RULES:
            for finding in rule.check(matter, on):
                _report_finding(result, rule, finding, doc)
        matters.append(matter)
    return matters


def _unknown_department_message(code: str, departments: dict[str, Department]) -> str:
    known = "、".join(f"{c}（{d.name}）" for c, d in sorted(departments.items())) or "无"
    return (f"部门“{code}”不存在：matters/{code}/{DEPARTMENT_FILE} 没有找到或有错误。"
            f"已有的部门：{known}。")


def _apply_catalog_rules(matters: list[Matter], result: CheckResult) -> None:
    for rule in CATALOG_RULES:
        for finding in rule.check(matters):
            _report_finding(result, rule, finding, finding.matter.source)


def _report_finding(result: CheckResult, rule: Rule, finding: Finding, doc: Document) -> None:
    _report(result, doc, finding.path, rule.id, rule.severity, finding.message, finding.at)


def _report(result: CheckResult, doc: Document, path: tuple, rule_id: str, severity: str, message: str,
            at: tuple | None = None) -> None:
    span = doc.span(at or path)
    result.diagnostics.append(Diagnostic(
        doc.display, span.line, span.column, severity, rule_id,
        schema.field_title(schema.MATTER, path), message))
