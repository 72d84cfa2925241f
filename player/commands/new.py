"""`vmo new ID [--category C] [--from ROUTINE] [-o PATH]`: start a routine file.

Writes a commented starting file, or a copy of an existing routine with the new
id, into the user's routines folder (or to PATH). The file is checked before it
is put in place, so what `vmo new` writes always passes `vmo check`; an existing
file is never overwritten. A copy brings the pictures its file names (`image:`,
relative to the routine's folder) to the same places beside it, keeping a picture
of that name that is already there.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import sys
from pathlib import Path

from player.errors import EXIT_OK, RoutineInvalid, UsageError
from player.model import CATEGORIES

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SCHEMA_FILE = "routine.schema.json"
# yaml-language-server (the VS Code YAML extension and other editors) reads this
# comment; a relative path is resolved from the routine file's own folder.
MODELINE = f"# yaml-language-server: $schema={SCHEMA_FILE}"
_MODELINE_RE = re.compile(r"^#\s*yaml-language-server:.*$")

TEMPLATE = """\
{modeline}
#
# A vmo routine. Lines starting with # are comments: vmo ignores them.
# In this file's folder:
#   find mistakes:       vmo check {file}
#   see the timeline:    vmo show {file}
#   quick preview:       vmo play {file} --speed 10
#   printable handout:   vmo export {file} -o {id}.html
# Every key is explained, with examples, in the authoring guide (docs/authoring.md).

# The name on the command line (vmo play {id}) and the name the patient sees.
id: {id}
name: {name}
# One of: warm-up, activation, strength, stretch, cool-down, cramp, other.
category: {category}
summary: "One line for the routine list."
description: >-
  A few sentences shown before the routine starts: what it is for, how often to
  do it, and what the patient should feel.
# author: Your name or clinic
ask_pain: false                 # true: ask for a pain rating (0-10) before and after
safety:                         # shown before the routine starts and on the handout
  - "Stop any exercise that causes sharp pain."
  - "Some discomfort is fine if it settles within 1-2 hours and is no worse the next morning."

defaults:                       # apply to every step below unless the step sets its own
  prepare: 5s                   # get-ready time before each exercise
  switch: 5s                    # time to change sides
  relax: 5s                     # between holds
  rest: 30s                     # between sets

steps:
  # A hold: 10 holds of 10 seconds, 2 sets, left leg then right leg.
  - name: Quad set
    hold: 10s
    reps: 10
    sets: 2
    sides: both                 # both (left, then right), left, right, or a list such as [right, left]
    relax: 3s                   # this step's own setting wins over defaults
    rest: 45s
    instructions: >-
      Sit with your legs out straight and a small rolled towel under the knee.
      Tighten the front of the thigh so the back of the knee presses into the towel.
    cues:
      - "Press the knee down"
      - "Keep breathing"
    equipment: [small rolled towel]
    target: quadriceps

  # Timed reps: each rep takes 2 s down, 1 s pause, 2 s up.
  - name: Partial squat
    reps: 10
    tempo: 2-1-2
    sets: 2
    instructions: >-
      Feet hip-width apart, sit back as if onto a chair, only as low as is comfortable.
    equipment: [chair]

  # A rest step between exercises.
  - rest: 1m

  # Reps at the patient's own pace: the player waits until they say they are done.
  - name: Side-lying hip abduction
    reps: 10
    sides: both
    target: hip abductors

  # One continuous timed block.
  - name: Easy walk
    duration: 2m
"""


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Define `vmo new`."""
    p = sub.add_parser(
        "new",
        help="start a routine file (commented template, or a copy of a routine)",
        description=(
            "Write a commented starting routine file, or a copy of an existing routine with a new id, "
            "into your routines folder or to PATH. Never overwrites a file. Also writes "
            f"{SCHEMA_FILE} next to it, if missing, for completion in editors."
        ),
    )
    p.add_argument("id", metavar="ID", help="the new routine's id: lower-case letters, digits and '-'")
    p.add_argument("--category", choices=CATEGORIES, default=None, help="the routine's category (default: other)")
    p.add_argument("--from", dest="source", metavar="ROUTINE", default=None, help="copy this routine (an id or a path)")
    p.add_argument(
        "-o", "--output", metavar="PATH", default=None,
        help="a .yaml/.yml file, or a folder to write ID.yaml in (default: your routines folder)",
    )
    return p


def default_name(routine_id: str) -> str:
    """A readable name made from an id: knee-anna -> Knee anna."""
    return routine_id.replace("-", " ").strip().capitalize()


def template(routine_id: str, category: str | None, file_name: str) -> str:
    """The commented starting file."""
    return TEMPLATE.format(
        modeline=MODELINE,
        id=routine_id,
        name=json.dumps(default_name(routine_id)),
        category=category or "other",
        file=file_name,
    )


def set_top_level(text: str, key: str, value: str) -> str:
    """`text` with the top-level scalar `key` set to `value` (added before the first key if absent).

    Edits lines rather than re-dumping the YAML, so the author's comments and
    layout survive. Raises UsageError when the file's layout leaves no safe edit
    (a flow-style top level, or the value on another line).
    """
    from player.yamlnodes import ComposeError, compose

    try:
        root = compose(text)
    except ComposeError as exc:
        raise UsageError(f"cannot read the routine to copy: {exc.message}") from None
    if root is None or root.kind != "map" or not root.value:
        raise UsageError("cannot copy that file: its top level is not a mapping of keys")
    lines = text.split("\n")
    pairs = root.value
    for k, v in pairs:  # type: ignore[union-attr]
        if k.kind == "scalar" and k.value == key:
            line = lines[k.line - 1]
            if v.kind != "scalar" or v.line != k.line or line[: k.column - 1].strip():
                raise UsageError(f"cannot set '{key}' in the copy automatically; copy the file and edit it by hand")
            comment = re.search(r"\s+#.*$", line[v.column - 1 :])
            lines[k.line - 1] = f"{line[: k.column - 1]}{key}: {value}{comment.group(0) if comment else ''}"
            return "\n".join(lines)
    first = pairs[0][0]  # type: ignore[index]
    before = lines[first.line - 1][: first.column - 1]
    if before.strip():
        raise UsageError(f"cannot add '{key}' to the copy automatically; copy the file and edit it by hand")
    lines.insert(first.line - 1, f"{before}{key}: {value}")
    return "\n".join(lines)


def with_modeline(text: str) -> str:
    """`text` whose editor schema comment points at the schema file next to it."""
    lines = [line for line in text.split("\n") if not _MODELINE_RE.match(line)]
    return "\n".join([MODELINE] + lines)


def copy_text(source: Path, routine_id: str, category: str | None) -> str:
    """The text of `source` with the new id (and category, if given) and the editor schema comment."""
    from player.files import read_limited
    from player.loader import MAX_BYTES

    data = read_limited(source, MAX_BYTES)  # never a FIFO or a device
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text = data.decode("utf-8").replace("\r\n", "\n")
    # Category first: a key that has to be added goes before the first key, so id ends up on top.
    if category:
        text = set_top_level(text, "category", category)
    text = set_top_level(text, "id", routine_id)
    return with_modeline(text)


def copy_pictures(routine: object, source: Path, folder: Path) -> list[Path]:
    """Copy the pictures that `source` itself names into `folder` at the same relative paths; the files written.

    A picture already at its place is kept (it may be the user's own). The loader has checked
    that each path stays inside the source's folder.
    """
    import shutil

    written: list[Path] = []
    own = source.resolve()
    for exercise in routine.exercises():  # type: ignore[attr-defined]
        if exercise.source is None or Path(exercise.source).resolve() != own:
            continue  # an included file's pictures are its own folder's business
        for rel in exercise.images:
            to = folder / rel
            if to.exists() or to in written:
                continue
            to.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source.parent / rel, to)
            written.append(to)
    return written


def target_path(routine_id: str, output: str | None) -> Path:
    """Where the new file goes: PATH, PATH/ID.yaml for a folder, or the user's routines folder."""
    from player.library import data_dir
    from player.loader import ROUTINE_SUFFIXES

    if output is None:
        return data_dir() / "routines" / f"{routine_id}.yaml"
    path = Path(output).expanduser()
    if path.is_dir() or output.endswith(("/", os.sep)):
        return path / f"{routine_id}.yaml"
    if not path.name.endswith(ROUTINE_SUFFIXES):
        raise UsageError(f"{output}: a routine file name must end in .yaml or .yml")
    return path


def _place(tmp: Path, target: Path) -> None:
    """Move the checked temporary file to `target`, failing if `target` exists (no race, no overwrite)."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise UsageError(f"{target} already exists; vmo new never overwrites a file") from None
    except OSError:
        # A filesystem without hard links: exclusive create, then copy the bytes.
        try:
            with open(target, "xb") as f:
                f.write(tmp.read_bytes())
        except FileExistsError:
            raise UsageError(f"{target} already exists; vmo new never overwrites a file") from None


def write_checked(target: Path, text: str, routine_id: str) -> None:
    """Check `text` as a routine file in `target`'s folder, then create `target`. Raises on problems."""
    from player.loader import check_routine

    # Not mkstemp: its 0600 mode would stay on the file; "x" gives the usual umask mode.
    tmp = target.parent / f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        with open(tmp, "x", encoding="utf-8", newline="\n") as f:
            f.write(text)
        routine, problems = check_routine(tmp, str(target))
        if routine is None:
            raise RoutineInvalid(problems)
        if routine.id != routine_id:  # pragma: no cover - set_top_level guarantees it
            raise UsageError(f"the copy's id came out as '{routine.id}', not '{routine_id}'")
        _place(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_schema_next_to(target: Path) -> Path | None:
    """Write the JSON Schema next to the routine unless a file of that name is there; its path if written."""
    from player.schema import routine_schema

    path = target.parent / SCHEMA_FILE
    try:
        with open(path, "x", encoding="utf-8") as f:
            json.dump(routine_schema(), f, indent=2)
            f.write("\n")
    except FileExistsError:
        return None
    return path


def run(args: argparse.Namespace) -> int:
    """Write the new routine file and say where it is."""
    if not _ID.match(args.id):
        raise UsageError(
            f"invalid id {args.id!r}: use lower-case letters, digits and '-', starting with a letter or digit"
        )
    target = target_path(args.id, args.output)
    if target.exists():
        raise UsageError(f"{target} already exists; vmo new never overwrites a file")
    if args.source is not None:
        from player.library import resolve_routine
        from player.loader import check_routine

        source = resolve_routine(args.source, args.routines)
        routine, problems = check_routine(source, str(source))
        if routine is None:
            raise RoutineInvalid(problems)
        text = copy_text(source, args.id, args.category)
    else:
        routine = source = None
        text = template(args.id, args.category, target.name)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create the folder {target.parent}: {exc.strerror or exc}") from None
    try:
        pictures = copy_pictures(routine, source, target.parent) if routine is not None and source else []
        write_checked(target, text, args.id)
        schema = write_schema_next_to(target)
    except OSError as exc:
        raise UsageError(f"cannot write {target}: {exc.strerror or exc}") from None
    print(target)
    if pictures:
        print(f"also copied {len(pictures)} picture(s) beside it, under {target.parent}", file=sys.stderr)
    if schema is not None:
        print(f"also wrote {schema} (editor completion; see 'vmo schema')", file=sys.stderr)
    _warn_if_shadowed(args.id, target, args.routines)
    return EXIT_OK


def _warn_if_shadowed(routine_id: str, target: Path, extra_dirs: list[str]) -> None:
    """Say so when another library routine has the same id: only one of them plays by id."""
    from player.library import library_folders, routine_files
    from player.loader import check_routine, slug

    mine = target.resolve()
    for folder in library_folders(extra_dirs):
        for path in routine_files(folder.path):
            if path.resolve() == mine:
                continue
            routine, _problems = check_routine(path)
            if (routine.id if routine is not None else slug(path.stem)) == routine_id:
                print(
                    f"note: {path} also has the id '{routine_id}'; 'vmo play {routine_id}' plays the first one found "
                    "(--routines folders, VMO_ROUTINES, your routines folder, then the bundled routines)",
                    file=sys.stderr,
                )
                return
