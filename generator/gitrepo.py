"""The little of git the workflow commands need: read files at a revision, list changes.

Blobs are read through one long-running `git cat-file --batch`, so walking a history of
hundreds of commits does not start a process per file.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import UsageError


@dataclass(frozen=True)
class Change:
    status: str  # A added, M modified, D deleted, R renamed
    path: str  # the path after the change (for D, the deleted path)
    old_path: str = ""  # for R: where it came from


class Repo:
    def __init__(self, folder: Path):
        self.folder = folder
        top = self._git("rev-parse", "--show-toplevel", check=False)
        if top is None:
            raise UsageError(f"{folder} 不在 git 仓库中。")
        self.root = Path(top.strip())
        self.folder = self.root  # from here on, paths are given relative to the repository root
        self._batch: subprocess.Popen | None = None

    def _git(self, *args: str, check: bool = True) -> str | None:
        done = subprocess.run(["git", "-C", str(self.folder), *args], capture_output=True, text=True)
        if done.returncode != 0:
            if check:
                raise UsageError(f"git {' '.join(args)} 失败：{done.stderr.strip()}")
            return None
        return done.stdout

    def resolve(self, rev: str) -> str:
        sha = self._git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False)
        if not sha:
            raise UsageError(f"找不到版本“{rev}”。请检查分支名或提交号（浅克隆可能缺少历史：git fetch --unshallow）。")
        return sha.strip()

    def is_shallow(self) -> bool:
        return (self._git("rev-parse", "--is-shallow-repository", check=False) or "").strip() == "true"

    def relative(self, path: Path) -> str:
        """`path` relative to the repository root, in git's notation."""
        return path.resolve().relative_to(self.root.resolve()).as_posix()

    def files(self, rev: str, under: str) -> list[str]:
        out = self._git("ls-tree", "-r", "--name-only", rev, "--", under) or ""
        return [line for line in out.splitlines() if line]

    def changes(self, base: str, head: str | None, under: str) -> list[Change]:
        """What changed under `under` from `base` to `head` (or the working tree when None)."""
        args = ["diff", "--name-status", "-M", base] + ([head] if head else []) + ["--", under]
        changes = _name_status(self._git(*args) or "")
        if head is None:  # untracked files are changes too, for a clerk checking before committing
            untracked = self._git("ls-files", "--others", "--exclude-standard", "--", under) or ""
            changes += [Change("A", p) for p in untracked.splitlines() if p]
        return changes

    def log(self, under: str) -> list[tuple[str, str]]:
        """(commit, date YYYY-MM-DD) of commits touching `under`, oldest first."""
        out = self._git("log", "--reverse", "--format=%H %cs", "--", under, check=False) or ""
        return [tuple(line.split()) for line in out.splitlines() if line]

    def changed_in(self, commit: str, under: str) -> list[Change]:
        out = self._git("diff-tree", "--root", "--no-commit-id", "-r", "--name-status", "-M", commit, "--", under)
        return _name_status(out or "")

    def read(self, rev: str, path: str) -> bytes | None:
        """The bytes of `path` at `rev`, or None if it does not exist there."""
        if self._batch is None:
            self._batch = subprocess.Popen(["git", "-C", str(self.root), "cat-file", "--batch"],
                                           stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self._batch.stdin.write(f"{rev}:{path}\n".encode("utf-8"))
        self._batch.stdin.flush()
        header = self._batch.stdout.readline().decode("utf-8").split()
        if len(header) < 3 or header[-1] == "missing":
            return None
        size = int(header[2])
        data = self._batch.stdout.read(size)
        self._batch.stdout.read(1)  # the newline after the contents
        return data

    def close(self) -> None:
        if self._batch is not None:
            self._batch.stdin.close()
            self._batch.wait()
            self._batch = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _name_status(out: str) -> list[Change]:
    """Parse `git diff --name-status -M` lines: "M\tpath" or "R100\told\tnew"."""
    changes = []
    for line in out.splitlines():
        parts = line.split("\t")
        if parts[0].startswith("R"):
            changes.append(Change("R", parts[2], parts[1]))
        elif len(parts) > 1:
            changes.append(Change(parts[0][:1], parts[1]))
    return changes
