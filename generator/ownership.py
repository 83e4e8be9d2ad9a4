"""Department ownership: CODEOWNERS from the department files, and a check that a change
stays inside one department's folder.

Each department reviews its own matters. A change may not slip a matter into another
department's folder, move one between departments, or touch several departments at once
(only the central office may do that, with --allow-multi).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from . import schema
from .check import DEPARTMENT_FILE
from .diagnostics import GuideError, UsageError
from .gitrepo import Repo
from .load import load_bytes, load_file

CODEOWNERS_HEADER = """\
# 由 guide codeowners 根据 matters/*/_department.yaml 中的 maintainers 生成，请勿手工修改。
# 修改维护人：编辑对应部门的 _department.yaml，然后运行 guide codeowners。
"""


def department_maintainers(matters_dir: Path) -> dict[str, list[str]]:
    """code → maintainers, from every department file (which must pass its schema)."""
    result = {}
    for path in sorted(matters_dir.glob(f"*/{DEPARTMENT_FILE}")):
        doc = load_file(path)
        problems = schema.check(doc, schema.DEPARTMENT)
        if problems:
            raise GuideError(problems)
        result[path.parent.name] = list(doc.data.get("maintainers", []))
    return result


def codeowners(matters_dir: Path, repo_root: Path, central: list[str]) -> str:
    prefix = "/" + matters_dir.resolve().relative_to(repo_root.resolve()).as_posix()
    lines = [CODEOWNERS_HEADER]
    if central:
        lines.append("# 其余文件（程序、数据约定、设置）由政务服务管理办公室审核。")
        lines.append(f"* {' '.join(central)}")
        lines.append("")
    for code, handles in department_maintainers(matters_dir).items():
        if handles:
            lines.append(f"{prefix}/{code}/ {' '.join(handles)}")
        else:
            lines.append(f"# {prefix}/{code}/ 未指定维护人（在 _department.yaml 中填写 maintainers）")
    return "\n".join(lines) + "\n"


@dataclass
class OwnershipResult:
    departments: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)


def _department_of(path: str, under: str) -> str | None:
    relative = PurePosixPath(path).relative_to(under) if path.startswith(under + "/") else None
    if relative is None or len(relative.parts) < 2:
        return None
    return relative.parts[0]


def _claimed_department(data: bytes | None, path: str) -> str | None:
    if data is None:
        return None
    try:
        doc = load_bytes(data, Path(path), path)
    except GuideError:
        return None  # the validator reports unreadable files
    value = doc.data.get("department")
    return value if isinstance(value, str) else None


def check_ownership(matters_dir: Path, base: str, head: str | None, allow_multi: bool) -> OwnershipResult:
    result = OwnershipResult()
    with Repo(matters_dir) as repo:
        base_sha = repo.resolve(base)
        head_sha = repo.resolve(head) if head else None
        under = repo.relative(matters_dir)
        for change in repo.changes(base_sha, head_sha, under):
            department = _department_of(change.path, under)
            if change.status == "R":
                old = _department_of(change.old_path, under)
                result.departments.update(d for d in (old, department) if d)
                if old != department:
                    result.problems.append(
                        f"{change.old_path} → {change.path}：事项从部门“{old}”移到了部门“{department}”。"
                        "事项不能在部门之间移动；如需移交，请两个部门分别删除和新增，并经政务服务管理办公室审核。")
            elif department:
                result.departments.add(department)
            if department is None:
                continue
            if change.status == "D" or PurePosixPath(change.path).name == DEPARTMENT_FILE:
                continue
            data = repo.read(head_sha, change.path) if head_sha else (repo.root / change.path).read_bytes()
            claimed = _claimed_department(data, change.path)
            if claimed and claimed != department:
                result.problems.append(
                    f"{change.path}：文件在部门“{department}”的目录中，却写明实施机关是“{claimed}”。"
                    "请只修改本部门的事项；如果确实属于另一个部门，请由该部门提交。")
    if len(result.departments) > 1 and not allow_multi:
        result.problems.append(
            f"这次修改涉及多个部门：{'、'.join(sorted(result.departments))}。请每个部门分别提交，"
            "由各自的维护人审核；政务服务管理办公室统一修改时可加 --allow-multi。")
    return result


def repo_root_of(folder: Path) -> Path:
    try:
        with Repo(folder) as repo:
            return repo.root
    except UsageError:
        return Path.cwd()
