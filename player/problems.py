"""Problems found in routine files: values, sortable by position, and their reporters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, TextIO



@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One problem at a 1-based line and column of a file; problems sort by file, line, column."""

    file: str
    line: int
    column: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}"

    def to_json(self) -> dict[str, object]:
        """The problem as `vmo check --format json` prints it."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "message": self.message,
        }


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """" (did you mean 'x'?)" naming the closest option, or "" when none is close."""
    import difflib  # only on the error path: keeps `vmo` start-up lean

    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def errors(problems: Iterable[Problem]) -> list[Problem]:
    """The problems that are errors, not warnings."""
    return [p for p in problems if p.severity == "error"]


def write_text(problems: Iterable[Problem], out: TextIO) -> None:
    """One line per problem: FILE:LINE:COL: SEVERITY: MESSAGE."""
    from player.terminal import sanitize

    for problem in problems:
        out.write(sanitize(str(problem), one_line=True) + "\n")


def write_json(problems: list[Problem], files: int, out: TextIO) -> None:
    """The JSON object of cli.md: {"files": N, "problems": [...]}."""
    import json  # only this report needs it: `vmo play` loads this module before its first frame

    from player.terminal import json_safe

    out.write(json_safe(json.dumps({"files": files, "problems": [p.to_json() for p in problems]}, ensure_ascii=False)))
    out.write("\n")


def _gh_escape(text: str, *, prop: bool = False) -> str:
    from player.terminal import sanitize

    text = sanitize(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def write_github(problems: Iterable[Problem], out: TextIO) -> None:
    """GitHub Actions workflow commands, so problems show as annotations on the file."""
    for p in problems:
        level = "error" if p.severity == "error" else "warning"
        out.write(
            f"::{level} file={_gh_escape(p.file, prop=True)},line={p.line},col={p.column}"
            f",title=vmo check::{_gh_escape(p.message)}\n"
        )
