"""Text and JSON views of routines for the command line. Pure functions."""

from __future__ import annotations

import unicodedata
from typing import Sequence

from player.durations import format_clock, format_duration
from player.model import Routine
from player.timeline import Timeline, compile_timeline

from player.terminal import sanitize  # noqa: F401  (the one function for outside text; re-exported)


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def timeline_table(routine: Routine, tl: Timeline) -> str:
    """A readable table: running clock, kind, exercise, side, set, rep, seconds; and the total."""
    header = ("CLOCK", "KIND", "EXERCISE", "SIDE", "SET", "REP", "SECONDS")
    rows: list[tuple[str, ...]] = []
    headings: dict[int, list[str]] = {}  # row index -> section lines shown above it
    clock = 0.0
    section = None
    for seg in tl.segments:
        if seg.section is not None and seg.section != section:
            lines_above = [f"== {sanitize(seg.section.title, one_line=True)} =="]
            if seg.section.description:
                lines_above += [f"   {sanitize(line, one_line=True)}" for line in seg.section.description.strip().splitlines()]
            headings[len(rows)] = lines_above
        section = seg.section
        set_text = f"{seg.set}/{seg.sets}" if seg.set is not None else ""
        if seg.rep is not None:
            rep_text = f"{seg.rep}/{seg.reps}"
        elif seg.max_reps:
            rep_text = "max"
        elif seg.reps is not None and seg.kind in ("work", "manual"):
            rep_text = f"x{seg.reps}" + (" a side" if seg.alternate else "")
        else:
            rep_text = ""
        if seg.round is not None:
            set_text = (set_text + " " if set_text else "") + f"r{seg.round}/{seg.rounds}"
        seconds = "self-paced" if seg.seconds is None else f"{seg.seconds:g}"
        name = sanitize(seg.name, one_line=True) + (" (until eased)" if seg.until_eased else "")
        ex = seg.exercise
        if ex is not None and seg.kind in ("work", "manual") and ex.dose_extras:
            name += " (" + ", ".join(sanitize(x, one_line=True) for x in ex.dose_extras) + ")"
        side = _cell(seg.side)
        if seg.alternate and seg.side is None and seg.kind == "work":
            side = "alternate"
        rows.append((format_clock(clock), seg.kind, name, side, set_text, rep_text, seconds))
        clock += seg.seconds or 0.0
    widths = [max(_width(r[i]) for r in rows + [header]) for i in range(len(header))]
    lines = [f"{sanitize(routine.name, one_line=True)} ({sanitize(routine.id, one_line=True)})", ""]
    for i, r in enumerate([header] + rows):
        lines.extend(headings.get(i - 1, ()))
        cells = [_pad(c, widths[k]) if k < len(r) - 1 else c.rjust(widths[k]) for k, c in enumerate(r)]
        lines.append("  ".join(cells).rstrip())
    lines.append("")
    lines.append(f"Total: {total_text(tl)}")
    notes = _exercise_notes(routine)
    if notes:
        lines.append("")
        lines.extend(notes)
    return "\n".join(lines) + "\n"


def _exercise_notes(routine: Routine) -> list[str]:
    """Below the table: each exercise's named tempo phases, pictures and video, once."""
    out: list[str] = []
    seen: set[int] = set()
    for ex in routine.exercises():
        if id(ex) in seen:
            continue
        seen.add(id(ex))
        parts = []
        if ex.tempo_names and ex.tempo:
            parts.append("tempo " + ", ".join(f"{sanitize(n, one_line=True)} {t:g} s" for n, t in zip(ex.tempo_names, ex.tempo)))
        if ex.images:
            parts.append(("picture " if len(ex.images) == 1 else "pictures ") + ", ".join(sanitize(i, one_line=True) for i in ex.images))
        if ex.video:
            parts.append(f"video {sanitize(ex.video, one_line=True)}")
        if parts:
            out.append(f"{sanitize(ex.name, one_line=True)}: " + " · ".join(parts))
    return out


def total_text(tl: Timeline) -> str:
    """The total time in words, with the self-paced segments it does not count."""
    return total_words(tl.total_seconds, tl.untimed_segments)


def total_words(seconds: float | None, untimed: int) -> str:
    """A total time in words, with the self-paced segments it does not count ("" for no time: a programme)."""
    if seconds is None:
        return ""
    text = format_duration(seconds)
    if untimed:
        text += f" + {untimed} self-paced segment{'s' * (untimed != 1)}"
    return text


def timeline_json(routine: Routine, tl: Timeline) -> dict[str, object]:
    """The object `vmo show --json` prints (cli.md)."""
    return {
        "id": routine.id,
        "name": routine.name,
        "category": routine.category,
        "total_seconds": tl.total_seconds,
        "untimed_segments": tl.untimed_segments,
        "segments": [s.to_json() for s in tl.segments],
    } | _sections_json(routine)


def _sections_json(routine: Routine) -> dict[str, object]:
    """`"sections"`: the headings with their descriptions, when the routine has any."""
    sections = routine.sections()
    if not sections:
        return {}
    return {"sections": [
        {"title": s.title, "description": s.description, "included": s.included} for s in sections
    ]}


def library_row(entry: object) -> dict[str, object]:
    """A row of `vmo list`: the JSON keys of cli.md, plus a total time in words, or the first problem."""
    info = entry.info  # type: ignore[attr-defined]
    if info.kind != "invalid":
        return {
            "id": info.id,
            "name": info.name,
            "category": info.category,
            "summary": info.summary,
            "total_seconds": info.total_seconds,
            "source": entry.source,  # type: ignore[attr-defined]
            "total_time": info.length,
        }
    first = info.problems[0] if info.problems else None
    return {
        "id": info.id,
        "name": None,
        "category": None,
        "summary": None,
        "total_seconds": None,
        "source": entry.source,  # type: ignore[attr-defined]
        "problem": str(first) if first else "invalid",
        "total_time": "",
    }


def library_rows(entries: Sequence[object]) -> list[dict[str, object]]:
    """Rows for `vmo list` (see library_row)."""
    return [library_row(entry) for entry in entries]
