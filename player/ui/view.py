"""What the player screen shows, computed from an engine Snapshot. Pure: no Textual, no clock.

The app turns each Snapshot into a PlayerView and hands it down to the screen,
which only copies fields into widgets. Keeping the wording here lets tests check
it without running an app, and keeps every routine string passing through
`sanitize` exactly once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from player.durations import format_duration
from player.engine import Snapshot, State
from player.model import Exercise, RestStep
from player.timeline import Segment
from player.ui.pictures import exercise_images
from player.ui.safe import sanitize

# The words the screen uses for a segment's kind; the CSS class is `kind-<kind>`.
KIND_LABELS = {
    "prepare": "GET READY",
    "work": "WORK",
    "relax": "RELAX",
    "switch": "SWITCH SIDES",
    "rest": "REST",
    "manual": "YOUR PACE",
}
SIDE_LABELS = {"left": "LEFT", "right": "RIGHT", "affected": "AFFECTED SIDE", "unaffected": "OTHER SIDE"}
# A displayed second changes a hair early rather than late: the engine's float
# arithmetic may land a boundary a few nanoseconds either side of the integer.
_SLACK = 1e-3


@dataclass(frozen=True)
class PlayerView:
    """Every string and number the player screen displays at one instant."""

    routine: str
    kind: str                 # segment kind, for the CSS class ("" before start)
    kind_label: str
    side_label: str           # "LEFT", "RIGHT" or ""
    exercise: str
    counts: str               # "Set 1/2 · Hold 3/5" and the like
    clock: str                # what the Digits show
    counting_up: bool         # a manual segment: the clock counts up
    prompt: str               # the line under the clock: how to finish, easing question, paused
    instructions: str
    cues: str
    next_up: str
    segment_fraction: float   # 0..1 of the current segment (0 for manual)
    routine_fraction: float   # 0..1 of the routine's timed part
    time_left: str
    paused: bool
    asking: bool
    manual: bool
    escalate: str             # the escalate message once the engine said so, else ""
    over: bool
    images: tuple[Path, ...] = ()  # the exercise's picture files (start and end positions)


def clock_text(seconds: float) -> str:
    """A countdown value for the Digits: M:SS, or H:MM:SS from an hour on."""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def shown_remaining(remaining: float) -> int:
    """The whole seconds a countdown shows: rounded up, so 0 appears exactly at the end."""
    return max(0, math.ceil(remaining - _SLACK))


def shown_elapsed(elapsed: float) -> int:
    """The whole seconds a count-up shows."""
    return max(0, math.floor(elapsed + _SLACK))


def counts_text(seg: Segment, elapsed: float) -> str:
    """Where in the exercise: round, set, and hold or rep, in the spec's words."""
    parts: list[str] = []
    if seg.round is not None and seg.rounds is not None and seg.rounds > 1:
        parts.append(f"Round {seg.round}/{seg.rounds}")
    if seg.set is not None and seg.sets is not None and seg.sets > 1:
        parts.append(f"Set {seg.set}/{seg.sets}")
    step = seg.step
    if seg.rep is not None and seg.reps is not None:
        word = "Hold" if seg.kind == "work" else "Done hold"
        parts.append(f"{word} {seg.rep}/{seg.reps}")
    elif seg.kind == "work" and seg.tempo and seg.reps:
        period = sum(seg.tempo)
        turns = len(seg.exercise.sides) if seg.alternate and seg.exercise else 1
        count = min(seg.reps * turns, int(elapsed // period) + 1) if period > 0 else 1
        rep, _side = seg.rep_of(count)
        parts.append(f"Rep {rep}/{seg.reps}")
        phase = _phase_now(seg, elapsed - (count - 1) * period)
        if phase:
            parts.append(phase)
    elif seg.max_reps:
        parts.append("As many as you can")
    elif seg.kind == "manual" and seg.reps:
        parts.append(f"{seg.reps} reps")
    elif isinstance(step, Exercise) and step.hold is not None and seg.kind == "work":
        parts.append("Hold")
    ex = seg.exercise
    if ex is not None and seg.kind in ("work", "manual"):
        parts.extend(sanitize(x) for x in ex.dose_extras)
    return " · ".join(parts)


def _phase_now(seg: Segment, into_rep: float) -> str:
    """The named tempo phase `into_rep` seconds into a rep, in capitals; "" for a numbers-only tempo."""
    ex = seg.exercise
    if ex is None or not ex.tempo or not ex.tempo_names:
        return ""
    edge = 0.0
    for name, seconds in zip(ex.tempo_names, ex.tempo):
        edge += seconds
        if into_rep < edge - _SLACK:
            return sanitize(name).upper()
    return sanitize(ex.tempo_names[-1]).upper()


def side_now(seg: Segment, elapsed: float) -> str | None:
    """The side being worked: the segment's, or for an alternate tempo the side of the rep under way."""
    if seg.alternate and seg.kind == "work" and seg.tempo and seg.side is None:
        period = sum(seg.tempo)
        count = int(elapsed // period) + 1 if period > 0 else 1
        return seg.rep_of(count)[1]
    return seg.side


def segment_label(seg: Segment) -> str:
    """A segment in a few words, for "Next:"."""
    kind = KIND_LABELS[seg.kind].capitalize() if seg.kind != "work" else ""
    name = sanitize(seg.name)
    bits = []
    if seg.kind in ("work", "manual", "prepare"):
        bits.append(name)
    else:
        bits.append(kind)
        if seg.kind == "rest" and seg.name not in ("Rest", ""):
            bits.append(f"({name})")
    if seg.side:
        bits.append(SIDE_LABELS.get(seg.side, seg.side).lower())
    elif seg.alternate and seg.kind == "work":
        bits.append("left and right in turn")
    if seg.kind == "prepare":
        bits.insert(0, "Get ready:")
    length = "at your own pace" if seg.seconds is None else format_duration(seg.seconds)
    if seg.until_eased:
        length += ", until it eases"
    return " ".join(bits) + f" · {length}"


def _instructions(seg: Segment) -> str:
    """The step's instructions, after this session's dose when a programme grew it ("This session: 19 reps, up from 17")."""
    step = seg.step
    lines = []
    if isinstance(step, Exercise) and step.dose_note and seg.kind in ("prepare", "work", "manual"):
        lines.append(f"This session: {sanitize(step.dose_note)}")
    if isinstance(step, (Exercise, RestStep)) and step.instructions:
        lines.append(sanitize(step.instructions.strip()))
    return "\n".join(lines)


def _cues(seg: Segment) -> str:
    step = seg.step
    text = ""
    if isinstance(step, Exercise) and step.cues:
        text = "  ".join(f"• {sanitize(c)}" for c in step.cues)
    if isinstance(step, Exercise) and step.video:
        text += ("  " if text else "") + f"Video: {sanitize(step.video)}"
    return text


def _prompt(snap: Snapshot, seg: Segment) -> str:
    if snap.asking_easing:
        return "Is it easing? y/n"
    if snap.paused:
        return "PAUSED · space to resume"
    if seg.kind == "manual":
        ex = seg.exercise
        if seg.max_reps:
            return "Do as many as you can, then press Enter or d"
        if ex is not None and ex.distance and not seg.reps:
            return f"Cover {sanitize(ex.distance)} at your own pace, then press Enter or d"
        reps = f"{seg.reps} reps" if seg.reps else "the reps"
        return f"Do {reps} at your own pace, then press Enter or d"
    return ""


def time_left_text(snap: Snapshot) -> str:
    """The routine's time left, with the self-paced segments it cannot count."""
    text = clock_text(shown_remaining(snap.routine_remaining)) + " left"
    if snap.untimed_left:
        text += f" + {snap.untimed_left} at your pace"
    return text


ESCALATE_FALLBACK = "This has not eased for a long time: get medical advice now."


def player_view(snap: Snapshot, routine_name: str, escalated: bool = False) -> PlayerView:
    """The PlayerView for `snap`; `escalated` says the engine escalated the current step (its text may be None)."""
    seg = snap.segment
    over = snap.state in (State.FINISHED, State.STOPPED)
    total = snap.routine_elapsed + snap.routine_remaining
    routine_fraction = 1.0 if over else (snap.routine_elapsed / total if total > 0 else 0.0)
    if seg is None:
        return PlayerView(
            routine=sanitize(routine_name), kind="", kind_label="", side_label="", exercise="",
            counts="", clock=clock_text(0), counting_up=False, prompt="", instructions="", cues="",
            next_up="", segment_fraction=0.0, routine_fraction=routine_fraction,
            time_left=time_left_text(snap), paused=snap.paused, asking=False, manual=False,
            escalate="", over=over,
        )
    manual = seg.seconds is None
    if manual:
        clock = clock_text(shown_elapsed(snap.elapsed))
        fraction = 0.0
    else:
        clock = clock_text(shown_remaining(snap.remaining or 0.0))
        fraction = (snap.elapsed / snap.seconds) if snap.seconds else 1.0
    nxt = snap.next_segment
    next_up = "Next: " + segment_label(nxt) if nxt is not None else "Next: the end"
    if snap.asking_easing:
        next_up = "y: on to the next step · n: hold the stretch again"
    escalate = ""
    if snap.escalate_message is not None:
        escalate = sanitize(snap.escalate_message.strip())
    elif escalated:
        escalate = ESCALATE_FALLBACK
    heading = sanitize(routine_name)
    if seg.section is not None:
        heading += f" · {sanitize(seg.section.title)}"
    return PlayerView(
        routine=heading,
        kind=seg.kind,
        kind_label=KIND_LABELS[seg.kind],
        side_label=SIDE_LABELS.get(side_now(seg, snap.elapsed) or "", ""),
        exercise=sanitize(seg.name),
        counts=counts_text(seg, snap.elapsed),
        clock=clock,
        counting_up=manual,
        prompt=_prompt(snap, seg),
        instructions=_instructions(seg),
        cues=_cues(seg),
        next_up=next_up,
        segment_fraction=min(1.0, max(0.0, fraction)),
        routine_fraction=min(1.0, max(0.0, routine_fraction)),
        time_left=time_left_text(snap),
        paused=snap.paused,
        asking=snap.asking_easing,
        manual=manual,
        escalate=escalate,
        over=over,
        images=exercise_images(seg.step),
    )


def next_change(snap: Snapshot, now: float) -> float | None:
    """The real time at which the clock shown for `snap` next changes, or None while it stands still."""
    if snap.state is not State.RUNNING or snap.segment is None:
        return None
    speed = snap.speed
    if snap.remaining is None:
        into = snap.elapsed
        step = shown_elapsed(into) + 1 - _SLACK - into
    else:
        left = snap.remaining
        shown = shown_remaining(left)
        if shown <= 1:
            # 0 would show at the segment's end, an engine deadline: one tick there draws what
            # comes next. A tick for "0" a moment before it would make that frame wait for
            # Textual's next frame slot (up to 1/60 s) on top of the new segment's layout.
            return None
        step = left - (shown - 1) - _SLACK
    return now + max(step, 0.0) / speed
