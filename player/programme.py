"""Programmes (program-format.md, section 3): the model, and the checker of programme files.

A programme file has `phases` at its top level instead of `steps`. It is read
with the same YAML rules and value readers as a routine file, and its problems
are FILE:LINE:COL values like a routine's. Each phase names routines by id or
by a path relative to the programme's folder; they are loaded (and checked)
with the routine loader. A routine with a `frequency` is a one-phase programme
(`from_routine`).

Pure data and checking: the planner (player/planner.py) derives where a user
stands from a Programme, the history and a date.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from player.checks import is_programme_root  # noqa: F401  (here too: where programmes are)
from player.files import read_limited
from player.model import SIDES, Frequency, Routine
from player.prescription import FREQUENCY_KEYS, MAX_WEEKS, frequency_keys

MAX_FILE_BYTES = 1024 * 1024  # the loader's limit for a routine file

if TYPE_CHECKING:
    from player.loader import _Context, _FileChecker
    from player.problems import Problem
    from player.yamlnodes import Node

PROGRAMME_KEYS = (
    "name", "id", "summary", "description", "author", "safety", "patient", "clinician", "start", "phases",
)
PATIENT_KEYS = ("name", "affected_side")
PHASE_KEYS = ("phase", "weeks", "routines", "advance", "step_back")
ENTRY_KEYS = ("routine",) + FREQUENCY_KEYS
ADVANCE_KEYS = ("after_weeks", "sessions", "pain_at_most", "next_day")
STEP_BACK_KEYS = ("pain_at_least", "next_day_worse")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True, slots=True)
class PhaseRoutine:
    """A routine of a phase with the frequency it is done at there."""

    routine: Routine
    frequency: Frequency
    ref: str = ""

    @property
    def id(self) -> str:
        """The routine's id."""
        return self.routine.id


@dataclass(frozen=True, slots=True)
class Advance:
    """Conditions, all required, to propose the next phase."""

    after_weeks: int | None = None
    sessions: int | None = None
    pain_at_most: int | None = None
    next_day_not_worse: bool = False


@dataclass(frozen=True, slots=True)
class StepBack:
    """Conditions, any one enough, to propose the previous phase."""

    pain_at_least: int | None = None
    next_day_worse: int | None = None


@dataclass(frozen=True, slots=True)
class Phase:
    """One phase: its name, planned weeks (None: no end), routines and conditions."""

    name: str
    weeks: int | None
    routines: tuple[PhaseRoutine, ...]
    advance: Advance | None = None
    step_back: StepBack | None = None

    def uses_next_day(self) -> bool:
        """Whether its conditions read the next-day answers."""
        return bool((self.advance and self.advance.next_day_not_worse) or (self.step_back and self.step_back.next_day_worse))


@dataclass(frozen=True, slots=True)
class Programme:
    """A loaded programme file, or a routine with a frequency as a one-phase programme (`routine_based`)."""

    id: str
    name: str
    phases: tuple[Phase, ...]
    summary: str | None = None
    description: str | None = None
    author: str | None = None
    safety: tuple[str, ...] = ()
    patient_name: str | None = None
    affected_side: str | None = None
    clinician: str | None = None
    start: date | None = None
    path: Path | None = None
    file_hash: str | None = None
    routine_based: bool = False

    @property
    def category(self) -> str:
        """What `vmo list` shows as its category."""
        return "programme"

    def uses_next_day(self) -> bool:
        """Whether any phase's conditions read the next-day answers."""
        return any(p.uses_next_day() for p in self.phases)


def from_routine(routine: Routine) -> Programme:
    """A routine with a `frequency` as a one-phase programme; its id is the routine's."""
    frequency = routine.frequency or Frequency()
    phase = Phase(routine.name, frequency.weeks, (PhaseRoutine(routine, frequency, routine.id),))
    return Programme(
        id=routine.id, name=routine.name, phases=(phase,), summary=routine.summary, safety=routine.safety,
        path=routine.path, file_hash=routine.file_hash, routine_based=True,
    )


class NestedProgramme:
    """What loading a routine reference finds when the file is a programme (not loaded further)."""

    def __init__(self, path: Path) -> None:
        self.path = path


# -- the checker --


class ProgrammeChecker:
    """Checks a programme file's node tree and builds its model, loading the routines it names."""

    def __init__(
        self, ctx: _Context, checker: _FileChecker, extra_dirs: Sequence[str] = (),
        check_file: Callable[..., tuple[Routine | NestedProgramme | None, list[Problem]]] | None = None,
    ) -> None:
        self.ctx = ctx
        self.c = checker
        self.extra_dirs = tuple(extra_dirs)
        # The loader's check_file, passed in: this module does not import the loader that calls it.
        self.check_file = check_file
        self.loaded: dict[Path, tuple[Routine | NestedProgramme | None, list[Problem]]] = {}
        # Looked up once per check, not once per entry: a phase may list thousands of them.
        self.own_id: str | None = None
        self.by_id: dict[str, Path | None] = {}
        self.ids: list[str] | None = None

    def programme(self, root: Node) -> Programme | None:
        from player.checks import Invalid as _Invalid, slug

        c, ctx = self.c, self.ctx
        before = len(ctx.problems)
        keys = c.mapping(root, "", PROGRAMME_KEYS)
        name = c.read(keys, "name", "", c.text, required=True)
        if "name" not in keys:
            ctx.error(root, "missing required key 'name'")
        programme_id = c.read(keys, "id", "", c.routine_id)
        summary = c.read(keys, "summary", "", c.text)
        description = c.read(keys, "description", "", c.text)
        author = c.read(keys, "author", "", c.text)
        safety = c.read(keys, "safety", "", c.text_list)
        clinician = c.read(keys, "clinician", "", c.text)
        start = c.read(keys, "start", "", self.date)
        patient_name = side = None
        if "patient" in keys:
            node = keys["patient"][1]
            if node.kind != "map":
                from player.checks import kind_name as _kind_name

                ctx.error(node, f"patient: expected a mapping of {', '.join(PATIENT_KEYS)}, got {_kind_name(node)}")
            else:
                p = c.mapping(node, "patient", PATIENT_KEYS)
                patient_name = c.read(p, "name", "patient", c.text)
                side = c.read(p, "affected_side", "patient", c.choice, SIDES)
        phases: list[Phase] = []
        node = keys["phases"][1]
        if node.kind != "seq" or not node.value:
            from player.checks import kind_name as _kind_name

            got = "an empty list" if node.kind == "seq" else _kind_name(node)
            ctx.error(node, f"phases: expected a list of at least one phase, got {got}")
        else:
            for i, item in enumerate(node.value):  # type: ignore[arg-type]
                try:
                    phases.append(self.phase(item, f"phases[{i}]"))
                except _Invalid:
                    pass
        if len(ctx.problems) > before or name is None:
            return None
        return Programme(
            id=programme_id or slug(ctx.path.stem),  # type: ignore[arg-type]
            name=name,  # type: ignore[arg-type]
            phases=tuple(phases),
            summary=summary,  # type: ignore[arg-type]
            description=description,  # type: ignore[arg-type]
            author=author,  # type: ignore[arg-type]
            safety=safety or (),  # type: ignore[arg-type]
            patient_name=patient_name,  # type: ignore[arg-type]
            affected_side=side,  # type: ignore[arg-type]
            clinician=clinician,  # type: ignore[arg-type]
            start=start,  # type: ignore[arg-type]
            path=ctx.path,
        )

    def date(self, node: Node, path: str) -> date:
        from player.checks import Invalid as _Invalid, kind_name as _kind_name, show as _show

        text = str(node.value).strip() if node.kind == "scalar" else None
        try:
            if text is None or not _DATE.match(text):
                raise ValueError
            return date.fromisoformat(text)
        except ValueError:
            got = _show(str(node.value)) if node.kind == "scalar" else _kind_name(node)
            self.ctx.error(node, f"{path}: expected a date such as 2026-12-07 (YYYY-MM-DD), got {got}")
            raise _Invalid from None

    def phase(self, node: Node, path: str) -> Phase:
        from player.checks import Invalid as _Invalid, kind_name as _kind_name

        c, ctx = self.c, self.ctx
        if node.kind != "map":
            ctx.error(node, f"{path}: expected a phase (a mapping with phase, weeks and routines), got {_kind_name(node)}")
            raise _Invalid
        before = len(ctx.problems)
        keys = c.mapping(node, path, PHASE_KEYS)
        name = c.read(keys, "phase", path, c.text, required=True)
        weeks = c.read(keys, "weeks", path, c.integer, 1, MAX_WEEKS)
        for required in ("phase", "weeks", "routines"):
            if required not in keys:
                ctx.error(node, f"{path}: missing required key {required!r}")
        entries: list[PhaseRoutine] = []
        if "routines" in keys:
            seq = keys["routines"][1]
            if seq.kind != "seq" or not seq.value:
                got = "an empty list" if seq.kind == "seq" else _kind_name(seq)
                ctx.error(seq, f"{path}.routines: expected a list of at least one routine, got {got}")
            else:
                seen: dict[str, Node] = {}
                for i, item in enumerate(seq.value):  # type: ignore[arg-type]
                    entry = self.entry(item, f"{path}.routines[{i}]")
                    if entry is None:
                        continue
                    if entry.id in seen:
                        ctx.error(item, f"{path}.routines[{i}]: routine {entry.id!r} is already in this phase (line {seen[entry.id].line})")
                        continue
                    seen[entry.id] = item
                    entries.append(entry)
        advance = self.advance(keys["advance"][1], f"{path}.advance") if "advance" in keys else None
        step_back = self.step_back(keys["step_back"][1], f"{path}.step_back") if "step_back" in keys else None
        if len(ctx.problems) > before:
            raise _Invalid
        return Phase(name, weeks, tuple(entries), advance, step_back)  # type: ignore[arg-type]

    def entry(self, node: Node, path: str) -> PhaseRoutine | None:
        from player.checks import Invalid as _Invalid, kind_name as _kind_name

        c, ctx = self.c, self.ctx
        if node.kind == "scalar":
            ctx.error(node, f"{path}: expected a mapping such as {{routine: {node.value}, days_a_week: 3}}, got text")
            return None
        if node.kind != "map":
            ctx.error(node, f"{path}: expected a mapping with 'routine', got {_kind_name(node)}")
            return None
        before = len(ctx.problems)
        keys = c.mapping(node, path, ENTRY_KEYS)
        frequency = frequency_keys(c, keys, path)
        if "routine" not in keys:
            ctx.error(node, f"{path}: missing required key 'routine'")
            return None
        try:
            ref = c.text(keys["routine"][1], f"{path}.routine", required=True)
        except _Invalid:
            return None
        routine = self.routine(keys["routine"][1], ref, f"{path}.routine")
        if routine is None or frequency is None or len(ctx.problems) > before:
            return None
        return PhaseRoutine(routine, frequency, ref)

    def routine(self, node: Node, ref: str, path: str) -> Routine | None:
        """The routine `ref` names (an id or a path relative to this file), checked; None with a problem."""
        from player.checks import show as _show

        ctx = self.ctx
        target = self.find(node, ref, path)
        if target is None:
            return None
        resolved = target.resolve()
        if resolved == ctx.path.resolve():
            ctx.error(node, f"{path}: {_show(ref)} is this programme itself; a phase lists routines")
            return None
        if resolved not in self.loaded:
            assert self.check_file is not None, "the loader passes its check_file"
            self.loaded[resolved] = self.check_file(target, _display(target), self.extra_dirs, nested=True)
        found, problems = self.loaded[resolved]
        if isinstance(found, NestedProgramme):
            ctx.error(node, f"{path}: {_show(ref)} is a programme; a programme cannot include a programme")
            return None
        if found is None:
            first = problems[0] if problems else None
            ctx.error(node, f"{path}: routine {_show(ref)} has errors" + (f" ({first})" if first else ""))
            return None
        return found

    def find(self, node: Node, ref: str, path: str) -> Path | None:
        from player.folders import looks_like_path
        from player.checks import ROUTINE_SUFFIXES, show as _show

        ctx = self.ctx
        if looks_like_path(ref):
            if os.path.isabs(ref) or ref.startswith(("/", "\\", "~")):
                ctx.error(node, f"{path}: must be a routine id or a path relative to this file's folder, got {_show(ref)}")
                return None
            if not ref.lower().endswith(ROUTINE_SUFFIXES):
                ctx.error(node, f"{path}: must name a .yaml or .yml routine file, got {_show(ref)}")
                return None
            target = ctx.path.parent / ref
            if not target.is_file():
                ctx.error(node, f"{path}: no such file {_show(ref)}")
                return None
            return target
        if self.own_id is None:
            try:
                self.own_id = _file_id(read_limited(ctx.path, MAX_FILE_BYTES), ctx.path)
            except OSError:
                self.own_id = ""
        if ref == self.own_id:
            ctx.error(node, f"{path}: {_show(ref)} is this programme itself; a programme cannot include a programme")
            return None
        if ref not in self.by_id:
            self.by_id[ref] = find_routine_file(ref, ctx.path.parent, self.extra_dirs, skip=ctx.path)
        found = self.by_id[ref]
        if found is None:
            from player.problems import did_you_mean

            if self.ids is None:
                self.ids = known_ids(ctx.path.parent, self.extra_dirs)
            hint = did_you_mean(ref, self.ids)
            ctx.error(node, f"{path}: no routine with id {_show(ref)}{hint}")
        return found

    def advance(self, node: Node, path: str) -> Advance | None:
        from player.checks import Invalid as _Invalid, kind_name as _kind_name

        c = self.c
        if node.kind != "map":
            self.ctx.error(node, f"{path}: expected a mapping of {', '.join(ADVANCE_KEYS)}, got {_kind_name(node)}")
            return None
        keys = c.mapping(node, path, ADVANCE_KEYS)
        next_day = c.read(keys, "next_day", path, c.choice, ("not_worse",))
        try:
            return Advance(
                after_weeks=c.read(keys, "after_weeks", path, c.integer, 0, MAX_WEEKS),  # type: ignore[arg-type]
                sessions=c.read(keys, "sessions", path, c.integer, 1, 1000),  # type: ignore[arg-type]
                pain_at_most=c.read(keys, "pain_at_most", path, c.integer, 0, 10),  # type: ignore[arg-type]
                next_day_not_worse=next_day == "not_worse",
            )
        except _Invalid:  # pragma: no cover - read() records and returns None
            return None

    def step_back(self, node: Node, path: str) -> StepBack | None:
        from player.checks import kind_name as _kind_name

        c = self.c
        if node.kind != "map":
            self.ctx.error(node, f"{path}: expected a mapping of {', '.join(STEP_BACK_KEYS)}, got {_kind_name(node)}")
            return None
        keys = c.mapping(node, path, STEP_BACK_KEYS)
        if not keys and not node.value:
            self.ctx.error(node, f"{path}: give pain_at_least or next_day_worse")
        return StepBack(
            pain_at_least=c.read(keys, "pain_at_least", path, c.integer, 0, 10),  # type: ignore[arg-type]
            next_day_worse=c.read(keys, "next_day_worse", path, c.integer, 1, 100),  # type: ignore[arg-type]
        )


def _display(path: Path) -> str:
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative


def _search_folders(folder: Path, extra_dirs: Sequence[str]) -> list[Path]:
    from player.folders import library_folders

    return [folder] + [f.path for f in library_folders(extra_dirs)]


def _files(folder: Path, own: Path) -> list[Path]:
    from player.folders import routine_files

    if folder == own:  # the programme's own folder: its files only, not every subfolder
        from player.checks import ROUTINE_SUFFIXES

        try:
            return sorted(p for p in folder.iterdir() if p.name.endswith(ROUTINE_SUFFIXES) and p.is_file())
        except OSError:
            return []
    return list(routine_files(folder))


def find_routine_file(rid: str, folder: Path, extra_dirs: Sequence[str] = (), skip: Path | None = None) -> Path | None:
    """The file that defines routine id `rid`: the programme's folder first, then the library (first wins)."""
    from player.checks import slug

    needle = rid.encode("utf-8")
    for base in _search_folders(folder, extra_dirs):
        for path in _files(base, folder):
            if skip is not None and path.resolve() == skip.resolve():
                continue
            try:
                data = read_limited(path, MAX_FILE_BYTES)  # never a FIFO or /dev/zero
            except OSError:
                continue
            if slug(path.stem) != rid and needle not in data:
                continue
            if _file_id(data, path) == rid:
                return path
    return None


def _file_id(data: bytes, path: Path) -> str:
    """A file's id without checking it: its top-level `id`, else its name's slug."""
    from player.checks import slug

    match = re.search(rb"^id:[ \t]*['\"]?([a-z0-9][a-z0-9-]*)['\"]?[ \t]*(?:#.*)?$", data, re.MULTILINE)
    return match.group(1).decode() if match else slug(path.stem)


def known_ids(folder: Path, extra_dirs: Sequence[str] = ()) -> list[str]:
    """Every id the search would find (for a did-you-mean)."""
    ids: dict[str, None] = {}
    for base in _search_folders(folder, extra_dirs):
        for path in _files(base, folder):
            try:
                ids.setdefault(_file_id(read_limited(path, MAX_FILE_BYTES), path), None)
            except OSError:
                continue
    return list(ids)
