"""What the checks say to a person: one Diagnostic per problem, always in Chinese.

Every message names the file, the line and column (1-based, as editors count), the
severity, a stable rule id and the field by its Chinese title. The text form is the
one clerks see:

    matters/scjg/gtgsh-sl.yaml:31:7: 错误 [R-promised-exceeds-legal] 办理时限 › 承诺办结时限（20 个工作日）超过法定办结时限（15 个工作日）
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"
WARNING = "warning"

SEVERITY_WORDS = {ERROR: "错误", WARNING: "警告"}


@dataclass(frozen=True, order=True)
class Diagnostic:
    file: str
    line: int
    column: int
    severity: str
    rule: str
    field: str
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def text(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        what = f"{self.field} › {self.message}" if self.field else self.message
        return f"{where}: {SEVERITY_WORDS[self.severity]} [{self.rule}] {what}"

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "rule": self.rule,
            "field": self.field,
            "message": self.message,
        }


class GuideError(Exception):
    """A problem the user must fix; carries one or more diagnostics, never a traceback."""

    def __init__(self, diagnostics: list[Diagnostic] | Diagnostic):
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics = diagnostics
        super().__init__("\n".join(d.text() for d in diagnostics))


class LoadError(GuideError):
    """A file could not be read as a matter or department at all."""


class UsageError(Exception):
    """A command was called wrongly; the message is Chinese and the exit code is 2."""


class BuildError(Exception):
    """A build could not finish for a reason other than bad data (a tool failed, a font is
    missing). The message is Chinese; the exit code is 1; nothing already built is touched."""
