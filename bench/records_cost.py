"""What plain records cost at start-up: vmo's records as frozen slotted dataclasses vs NamedTuples.

Run: .venv/bin/python bench/records_cost.py

Issue 14 made the records (engine events, segments, snapshots, problems, keys,
library entries, cramp facts) plain `@dataclass(frozen=True, slots=True)` again,
unless defining them cost more than 5 % of a first frame. This defines classes with
the same names and fields both ways (the NamedTuples with the type-strict equality
they needed) and prints the CPU time of each, next to the CPU time of a process that
only imports Textual's App (`python -c "import textual.app"`, the least a first frame
costs), measured in the same run. The first frames themselves are measured by
bench/cramp_startup.py and bench/ui_perf.py.
"""

from __future__ import annotations

import dataclasses
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from player import cramp, engine, events, library, problems, timeline  # noqa: E402
from player.ui import cramp as ui_cramp  # noqa: E402
from player.ui import keys  # noqa: E402

RECORDS = [*events.Event.__args__, timeline.Segment, timeline.Timeline, engine.Snapshot, engine.Progress,  # type: ignore[attr-defined]
           problems.Problem, cramp.Muscle, cramp.EpisodeFacts, library.Entry, library.LibraryFolder, keys.Key,
           ui_cramp.CrampOutcome]

NAMED_TUPLE_PRELUDE = """\
from typing import NamedTuple
def _eq(self, other): return type(self) is type(other) and tuple.__eq__(self, other)
def _ne(self, other): return not _eq(self, other)
def compared_by_type(cls):
    cls.__eq__ = _eq
    cls.__ne__ = _ne
    return cls
"""


def source(kind: str) -> str:
    parts = ["from dataclasses import dataclass\n" if kind == "dataclass" else NAMED_TUPLE_PRELUDE]
    for cls in RECORDS:
        head = (f"@dataclass(frozen=True, slots=True)\nclass {cls.__name__}:\n" if kind == "dataclass"
                else f"@compared_by_type\nclass {cls.__name__}(NamedTuple):\n")
        parts.append(head + "".join(f"    {f.name}: int = 0\n" for f in dataclasses.fields(cls)))
    return "\n".join(parts)


def best_cpu_ms(code: object, runs: int = 30) -> float:
    times = []
    for _ in range(runs):
        t0 = time.process_time()
        exec(code, {"__name__": "records"})  # noqa: S102 - our own generated class definitions
        times.append(time.process_time() - t0)
    return min(times) * 1000


def child_cpu_ms(cmd: list[str], runs: int = 7) -> float:
    best = float("inf")
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(cmd, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        best = min(best, (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
    return best


def main() -> None:
    fields = sum(len(dataclasses.fields(c)) for c in RECORDS)
    dc = best_cpu_ms(compile(source("dataclass"), "dataclasses", "exec", dont_inherit=True))
    nt = best_cpu_ms(compile(source("namedtuple"), "namedtuples", "exec", dont_inherit=True))
    textual = child_cpu_ms([sys.executable, "-c", "import textual.app"])
    print(f"{len(RECORDS)} record classes, {fields} fields, defined (CPU, best of 30):")
    print(f"  frozen slotted dataclasses   {dc:6.2f} ms")
    print(f"  NamedTuples compared by type {nt:6.2f} ms")
    print(f"  difference                   {dc - nt:6.2f} ms = {(dc - nt) / textual:.1%} of `import textual.app`"
          f" ({textual:.0f} ms CPU); the limit for a cleverer record type is 5 % of a first frame")


if __name__ == "__main__":
    main()
