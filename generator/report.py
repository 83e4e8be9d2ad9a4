"""Print diagnostics for people (text), for GitHub Actions (annotations) or for tools (JSON)."""

from __future__ import annotations

import json
from typing import TextIO

from .diagnostics import Diagnostic

FORMATS = ("text", "github", "json")


def summary(files: int, diagnostics: list[Diagnostic]) -> str:
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    verdict = "未通过" if errors else "通过"
    return f"检查了 {files} 个文件：{errors} 个错误，{warnings} 个警告。{verdict}。"


def write(diagnostics: list[Diagnostic], files: int, fmt: str, out: TextIO) -> None:
    if fmt == "json":
        json.dump({
            "files": files,
            "errors": sum(d.is_error for d in diagnostics),
            "warnings": sum(not d.is_error for d in diagnostics),
            "diagnostics": [d.as_dict() for d in diagnostics],
        }, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return
    for d in diagnostics:
        out.write((github_annotation(d) if fmt == "github" else d.text()) + "\n")
    out.write(summary(files, diagnostics) + "\n")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(d: Diagnostic) -> str:
    """A workflow command that GitHub shows on the changed line of a pull request."""
    level = "error" if d.is_error else "warning"
    title = f"{'错误' if d.is_error else '警告'} {d.rule}"
    message = f"{d.field} › {d.message}" if d.field else d.message
    return (f"::{level} file={_escape_property(d.file)},line={d.line},col={d.column},"
            f"title={_escape_property(title)}::{_escape_data(message)}")
