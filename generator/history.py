"""Each matter's change history for citizens ("更新记录"), from the git history.

For every commit that touched a matter's file, the matter before and after is compared
with `guide diff`'s rules and summed up in one line. In a shallow clone (or outside git)
the full history is not there to read, and the page says it shows the current version only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .check import DEPARTMENT_FILE
from .diagnostics import UsageError
from .diff import build_models, compare, one_line
from .gitrepo import Repo


@dataclass(frozen=True)
class Entry:
    date: str
    text: str


def histories(matters_dir: Path) -> dict[str, list[Entry]] | None:
    """Entries per matter id, newest first; None when the history cannot be read."""
    try:
        repo = Repo(matters_dir)
    except UsageError:
        return None
    with repo:
        if repo.is_shallow():
            return None
        under = repo.relative(matters_dir)
        commits = repo.log(under)
        if not commits:
            return None
        found: dict[str, list[Entry]] = defaultdict(list)
        for commit, date in commits:
            for change in repo.changed_in(commit, under):
                if change.status == "D" or PurePosixPath(change.path).name == DEPARTMENT_FILE:
                    continue
                before = _model(repo, f"{commit}^", change.old_path or change.path, under) if change.status != "A" else {}
                after = _model(repo, commit, change.path, under)
                for diff in compare(before, after):
                    if diff.kind != "删除":
                        found[diff.matter_id].append(Entry(date, one_line(diff)))
    return {matter_id: list(reversed(entries)) for matter_id, entries in found.items()}


def _model(repo: Repo, rev: str, path: str, under: str) -> dict:
    """The one matter at `path` as of `rev`, with its department's defaults of that time."""
    data = repo.read(rev, path)
    if data is None:
        return {}
    relative = PurePosixPath(path).relative_to(under)
    department = f"{under}/{relative.parts[0]}/{DEPARTMENT_FILE}"
    blobs = {str(relative): data}
    department_data = repo.read(rev, department)
    if department_data is not None:
        blobs[f"{relative.parts[0]}/{DEPARTMENT_FILE}"] = department_data
    return build_models(blobs)
