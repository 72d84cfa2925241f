"""Printable handouts of a routine, as Markdown or one self-contained HTML file.

Pure: a Routine and its Timeline in, text out. Every piece of routine text is
data: HTML output escapes it with `html.escape`, Markdown output backslash-escapes
the characters Markdown would otherwise act on.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Union

from player.model import Exercise, RepeatBlock, RestStep, Routine, Step
from player.timeline import Timeline

# General red flags, worded for a patient handout (evidence.md section 6). They
# apply whatever the routine is; the routine's own `safety` list comes first.
RED_FLAGS = (
    "Chest pain or pressure, unusual breathlessness, dizziness or feeling faint, a racing or "
    "irregular heartbeat, or sudden numbness or weakness: stop at once and call emergency services.",
    "One calf or thigh that is painful, swollen, warm, or red or darker than the other: it could be "
    "a blood clot. Get medical advice the same day; with breathlessness or chest pain, call emergency services.",
    "A joint that locks, gives way, swells quickly after a twist or fall, or cannot take your weight: "
    "get medical advice the same day.",
    "A cramp that lasts longer than 10 minutes and does not ease with stretching: get urgent medical advice.",
    "Severe muscle pain and swelling after exercise with dark, cola-coloured urine: go to an emergency department.",
    "Sharp or catching pain, or pain that is still worse the next morning: stop that exercise "
    "and ask your physiotherapist or doctor before going on.",
)
DISCLAIMER = (
    "This handout is general exercise guidance, not medical advice or a diagnosis, and does not "
    "replace an assessment by a doctor or physiotherapist."
)
WEEK_DAYS = 7
TICK_BOX_MD = "\u2610"  # BALLOT BOX; the HTML draws a CSS box instead, which prints with any font


# -- plain words -------------------------------------------------------------


def _num(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def seconds_in_words(seconds: float) -> str:
    """A duration in words: 1 second, 45 seconds, 1 minute 30 seconds, 1 hour 5 minutes."""
    total = round(seconds, 1)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    for amount, unit in ((hours, "hour"), (minutes, "minute"), (secs, "second")):
        if amount:
            parts.append(f"{_num(amount)} {unit}{'s' * (amount != 1)}")
    return " ".join(parts) if parts else "0 seconds"


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"


def sides_in_words(sides: tuple[str, ...]) -> str | None:
    """How an exercise's side list reads on a handout; None for an exercise without sides."""
    if not sides:
        return None
    if sides == ("left", "right"):
        return "each side"
    if sides == ("right", "left"):
        return "each side, right side first"
    if len(sides) == 1:
        return f"{sides[0]} side only"
    return "sides in this order: " + ", ".join(sides)


def dosage(ex: Exercise) -> str:
    """The exercise's dosage in plain words, e.g. 'Hold 10 seconds, 10 times, 2 sets, each side; ...'."""
    first: list[str] = []
    then: list[str] = []
    holds = ex.reps or 1
    if ex.duration is not None:
        first.append(f"For {seconds_in_words(ex.duration)}")
    elif ex.hold is not None:
        first.append(f"Hold {seconds_in_words(ex.hold)}")
        if ex.until_eased:
            first.append("again and again until it eases")
        elif holds > 1:
            first.append(_times(holds))
    elif ex.tempo is not None:
        assert ex.reps is not None
        phases = "-".join(_num(p) for p in ex.tempo)
        first.append(f"{ex.reps} reps at a tempo of {phases} seconds ({seconds_in_words(sum(ex.tempo))} each)")
    else:
        first.append(f"{ex.reps} reps at your own pace")
    if ex.sets > 1:
        first.append(f"{ex.sets} sets")
    side_text = sides_in_words(ex.sides)
    if side_text:
        first.append(side_text)
    if ex.hold is not None and (holds > 1 or ex.until_eased) and ex.relax > 0:
        then.append(f"relax {seconds_in_words(ex.relax)} between holds")
    if ex.sets > 1 and ex.rest > 0:
        then.append(f"rest {seconds_in_words(ex.rest)} between sets")
    return "; ".join([", ".join(first)] + then)


def escalation(ex: Exercise) -> tuple[str, str] | None:
    """For an `until_eased` hold: when to escalate, in words, and what to do then (routine text)."""
    if not ex.until_eased:
        return None
    when = f"If it has not eased after {seconds_in_words(ex.escalate_after)}"
    return when, ex.escalate or "get urgent medical advice."


def total_in_words(tl: Timeline) -> str:
    """The routine's total time, with a note when some exercises are self-paced."""
    text = seconds_in_words(round(tl.total_seconds))
    if tl.untimed_segments:
        text += ", plus the exercises done at your own pace"
    return text


# -- the handout's structure, shared by both formats ----------------------------


@dataclass(frozen=True)
class ExerciseItem:
    """A numbered exercise with its dosage."""

    number: int
    exercise: Exercise


@dataclass(frozen=True)
class RestItem:
    """A rest step between exercises."""

    step: RestStep


@dataclass(frozen=True)
class BlockItem:
    """A repeat block and what it repeats."""

    block: RepeatBlock
    items: tuple["Item", ...]


Item = Union[ExerciseItem, RestItem, BlockItem]


def handout_items(steps: tuple[Step, ...], start: int = 1) -> tuple[Item, ...]:
    """The routine's steps as handout items, exercises numbered in file order from `start`."""
    items: list[Item] = []
    number = start
    for step in steps:
        if isinstance(step, Exercise):
            items.append(ExerciseItem(number, step))
            number += 1
        elif isinstance(step, RestStep):
            items.append(RestItem(step))
        else:
            inner = handout_items(step.steps, number)
            number += _count_exercises(inner)
            items.append(BlockItem(step, inner))
    return tuple(items)


def _count_exercises(items: tuple[Item, ...]) -> int:
    return sum(1 if isinstance(i, ExerciseItem) else _count_exercises(i.items) if isinstance(i, BlockItem) else 0 for i in items)


def _block_intro(block: RepeatBlock) -> str:
    text = f"Repeat the following {_times(block.repeat)}" if block.repeat > 1 else "Do the following once"
    if block.rest > 0 and block.repeat > 1:
        text += f", resting {seconds_in_words(block.rest)} between rounds"
    return text


def _rest_text(step: RestStep) -> str:
    return f"Rest {seconds_in_words(step.rest)}"


def _week_intro(routine: Routine) -> str:
    text = "Tick a box each time you do the routine."
    if routine.ask_pain:
        text += " Rate your pain before and after from 0 (none) to 10 (the worst you can imagine)."
    return text


def _week_columns(routine: Routine) -> list[str]:
    cols = ["Day", "Date", "Done"]
    if routine.ask_pain:
        cols += ["Pain before", "Pain after"]
    return cols + ["Notes"]


# -- Markdown --------------------------------------------------------------------

# Characters Markdown may act on anywhere in a line. CommonMark lets any ASCII
# punctuation be backslash-escaped, so escaping these is always safe; others
# (a full stop, a colon) are left alone to keep the source readable.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_MD_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# What makes the start of a line a heading, quote, list item, rule or numbered item.
_MD_BLOCK_MARK = re.compile(r"^([#>+=-])")
_MD_NUMBERED = re.compile(r"^(\d+)([.)])")


def paragraphs(text: str) -> list[list[str]]:
    """Text split into paragraphs (at blank lines) of lines, runs of spaces collapsed.

    Line breaks inside a paragraph are kept: an author who writes a `|` block
    means them, and a folded `>` block has none.
    """
    result = []
    for block in re.split(r"\n[ \t]*\n", text.strip()):
        lines = [" ".join(line.split()) for line in block.split("\n")]
        lines = [line for line in lines if line]
        if lines:
            result.append(lines)
    return result


def _md_escape_line(line: str) -> str:
    line = _MD_INLINE.sub(r"\\\1", line)
    line = _MD_ENTITY.sub(r"\\&", line)
    line = _MD_BLOCK_MARK.sub(r"\\\1", line)
    return _MD_NUMBERED.sub(r"\1\\\2", line)


def md_escape(text: str) -> str:
    """Routine text as Markdown that shows it literally, its paragraphs and line breaks kept."""
    # A backslash at the end of a line is CommonMark's visible-in-source hard line break.
    return "\n\n".join("\\\n".join(_md_escape_line(line) for line in para) for para in paragraphs(text))


def _md_line(text: str) -> str:
    """Routine text that must stay on one line (list items, headings)."""
    return " ".join(_md_escape_line(line) for para in paragraphs(text) for line in para)


def _md_items(items: tuple[Item, ...], out: list[str]) -> None:
    for item in items:
        if isinstance(item, ExerciseItem):
            ex = item.exercise
            out += [f"### {item.number}. {_md_line(ex.name)}", "", f"**{dosage(ex)}**", ""]
            facts = []
            if ex.target:
                facts.append(f"Target: {_md_line(ex.target)}")
            if ex.equipment:
                facts.append("Equipment: " + ", ".join(_md_line(e) for e in ex.equipment))
            if facts:
                out += [" · ".join(facts), ""]
            if ex.instructions:
                out += [md_escape(ex.instructions), ""]
            if ex.cues:
                out += ["Cues:", ""] + [f"- {_md_line(c)}" for c in ex.cues] + [""]
            if (esc := escalation(ex)) is not None:
                out += [f"**{esc[0]}:** {_md_line(esc[1])}", ""]
        elif isinstance(item, RestItem):
            name = "" if item.step.name == "Rest" else f" ({_md_line(item.step.name)})"
            out += [f"*{_rest_text(item.step)}*{name}", ""]
            if item.step.instructions:
                out += [md_escape(item.step.instructions), ""]
        else:
            block = item.block
            name = f" ({_md_line(block.name)})" if block.name else ""
            out += [f"**{_block_intro(block)}**{name}:", ""]
            _md_items(item.items, out)
            out += ["*End of the repeated part.*", ""]


def handout_markdown(routine: Routine, tl: Timeline) -> str:
    """The handout as Markdown."""
    out = [f"# {_md_line(routine.name)}", ""]
    if routine.summary:
        out += [md_escape(routine.summary), ""]
    equipment = routine.equipment()
    out += [
        f"- **Total time:** {total_in_words(tl)}",
        "- **Equipment:** " + (", ".join(_md_line(e) for e in equipment) if equipment else "none"),
    ]
    if routine.author:
        out.append(f"- **From:** {_md_line(routine.author)}")
    out.append("")
    if routine.description:
        out += [md_escape(routine.description), ""]
    out += ["## Safety", ""]
    if routine.safety:
        out += [f"- {_md_line(s)}" for s in routine.safety] + [""]
    out += ["### Stop and get help", ""] + [f"- {flag}" for flag in RED_FLAGS] + ["", f"*{DISCLAIMER}*", ""]
    out += ["## Exercises", ""]
    _md_items(handout_items(routine.steps), out)
    cols = _week_columns(routine)
    out += ["## This week", "", _week_intro(routine), ""]
    out += ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    for day in range(1, WEEK_DAYS + 1):
        cells = [f"Day {day}", " ", TICK_BOX_MD] + [" "] * (len(cols) - 3)
        out.append("| " + " | ".join(cells) + " |")
    out += ["", f"Play along in the terminal: `vmo play {routine.id}`", ""]
    return "\n".join(out)


# -- HTML ------------------------------------------------------------------------

# No fixed widths: the printable width is 180 mm on A4 and 186 mm on Letter with
# these margins, and everything flows into whichever it gets. `overflow-wrap:
# anywhere` breaks a long unbroken word (a URL, say) instead of letting it stick out.
_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
html { font: 11pt/1.45 "Liberation Sans", "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; color: #111; background: #fff; }
body { margin: 0 auto; max-width: 44rem; padding: 1.5rem 1rem; overflow-wrap: anywhere; }
h1 { font-size: 1.7em; margin: 0 0 0.3em; line-height: 1.2; }
h2 { font-size: 1.25em; margin: 1.4em 0 0.5em; padding-bottom: 0.15em; border-bottom: 2px solid #333; }
h3 { font-size: 1.08em; margin: 0 0 0.3em; }
p, ul { margin: 0.35em 0; }
ul { padding-left: 1.3em; }
.summary { font-size: 1.1em; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.15em 0.8em; margin: 0.8em 0; }
.facts dt { font-weight: bold; }
.facts dd { margin: 0; }
.exercise { margin: 0.9em 0; padding: 0.6em 0.8em; border: 1px solid #999; border-radius: 4px; }
.dosage { font-weight: bold; }
.meta { color: #333; }
.cues-title { margin-bottom: 0; }
.rest { font-style: italic; margin: 0.6em 0.8em; }
.block { margin: 0.9em 0; padding-left: 0.7em; border-left: 4px solid #666; }
.block-intro, .block-end { font-weight: bold; }
.block-end { font-weight: normal; font-style: italic; }
.escalate { font-weight: bold; }
.red-flags { padding: 0.5em 0.8em; border: 2px solid #000; border-radius: 4px; }
.red-flags h3 { margin-top: 0.2em; }
.disclaimer { font-style: italic; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
th, td { border: 1px solid #555; padding: 0.45em 0.4em; text-align: left; vertical-align: middle; }
th { background: #eee; font-size: 0.9em; }
td { height: 2.4em; }
.col-day { width: 12%; } .col-date { width: 15%; } .col-done { width: 10%; } .col-pain { width: 14%; }
.box { display: inline-block; width: 1.1em; height: 1.1em; border: 1.5px solid #000; vertical-align: middle; }
footer { margin-top: 1.2em; color: #333; font-size: 0.9em; }
code { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; }
@page { size: auto; margin: 15mm; }
@media print {
  html { font-size: 10.5pt; }
  body { max-width: none; padding: 0; }
  .exercise, .rest, .red-flags, tr { break-inside: avoid; }
  h2, h3, .block-intro { break-after: avoid; }
  .week { break-inside: avoid; }
  th { background: none; }
}
""".strip()


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def _h_paragraphs(text: str, css_class: str | None = None) -> str:
    attr = f' class="{css_class}"' if css_class else ""
    return "".join(f"<p{attr}>" + "<br>\n".join(_h(line) for line in para) + "</p>\n" for para in paragraphs(text))


def _html_items(items: tuple[Item, ...], out: list[str]) -> None:
    for item in items:
        if isinstance(item, ExerciseItem):
            ex = item.exercise
            out.append('<article class="exercise">\n')
            out.append(f"<h3>{item.number}. {_h(ex.name)}</h3>\n")
            out.append(f'<p class="dosage">{_h(dosage(ex))}</p>\n')
            facts = []
            if ex.target:
                facts.append(f"Target: {_h(ex.target)}")
            if ex.equipment:
                facts.append("Equipment: " + ", ".join(_h(e) for e in ex.equipment))
            if facts:
                out.append(f'<p class="meta">{" · ".join(facts)}</p>\n')
            if ex.instructions:
                out.append(_h_paragraphs(ex.instructions))
            if ex.cues:
                out.append('<p class="cues-title">Cues:</p>\n<ul class="cues">\n')
                out += [f"<li>{_h(c)}</li>\n" for c in ex.cues]
                out.append("</ul>\n")
            if (esc := escalation(ex)) is not None:
                out.append(f'<p class="escalate">{_h(esc[0])}: {_h(esc[1])}</p>\n')
            out.append("</article>\n")
        elif isinstance(item, RestItem):
            name = "" if item.step.name == "Rest" else f" ({_h(item.step.name)})"
            out.append(f'<div class="rest"><p>{_rest_text(item.step)}{name}</p>\n')
            if item.step.instructions:
                out.append(_h_paragraphs(item.step.instructions))
            out.append("</div>\n")
        else:
            block = item.block
            name = f" ({_h(block.name)})" if block.name else ""
            out.append('<section class="block">\n')
            out.append(f'<p class="block-intro">{_block_intro(block)}{name}:</p>\n')
            _html_items(item.items, out)
            out.append('<p class="block-end">End of the repeated part.</p>\n</section>\n')


def handout_html(routine: Routine, tl: Timeline) -> str:
    """The handout as one self-contained HTML file (inline CSS, no scripts, no external resources)."""
    out = [
        "<!DOCTYPE html>\n",
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{_h(routine.name)}: exercise handout</title>\n",
        f"<style>\n{_CSS}\n</style>\n</head>\n<body>\n<header>\n",
        f"<h1>{_h(routine.name)}</h1>\n",
    ]
    if routine.summary:
        out.append(f'<p class="summary">{_h(routine.summary)}</p>\n')
    equipment = routine.equipment()
    out.append('<dl class="facts">\n')
    out.append(f"<dt>Total time</dt><dd>{_h(total_in_words(tl))}</dd>\n")
    out.append("<dt>Equipment</dt><dd>" + (", ".join(_h(e) for e in equipment) if equipment else "none") + "</dd>\n")
    if routine.author:
        out.append(f"<dt>From</dt><dd>{_h(routine.author)}</dd>\n")
    out.append("</dl>\n")
    if routine.description:
        out.append(_h_paragraphs(routine.description, "description"))
    out.append('</header>\n<section class="safety">\n<h2>Safety</h2>\n')
    if routine.safety:
        out.append('<ul class="routine-safety">\n' + "".join(f"<li>{_h(s)}</li>\n" for s in routine.safety) + "</ul>\n")
    out.append('<div class="red-flags">\n<h3>Stop and get help</h3>\n<ul>\n')
    out += [f"<li>{_h(flag)}</li>\n" for flag in RED_FLAGS]
    out.append(f'</ul>\n<p class="disclaimer">{_h(DISCLAIMER)}</p>\n</div>\n</section>\n')
    out.append('<section class="exercises">\n<h2>Exercises</h2>\n')
    _html_items(handout_items(routine.steps), out)
    out.append("</section>\n")
    out.append(f'<section class="week">\n<h2>This week</h2>\n<p>{_week_intro(routine)}</p>\n<table>\n')
    col_class = {"Day": "col-day", "Date": "col-date", "Done": "col-done", "Notes": "col-notes"}
    out.append("<thead><tr>")
    for col in _week_columns(routine):
        out.append(f'<th scope="col" class="{col_class.get(col, "col-pain")}">{_h(col)}</th>')
    out.append("</tr></thead>\n<tbody>\n")
    blanks = len(_week_columns(routine)) - 3
    for day in range(1, WEEK_DAYS + 1):
        out.append(
            f'<tr><th scope="row">Day {day}</th><td></td><td><span class="box" role="img" aria-label="not done yet"></span></td>'
            + "<td></td>" * blanks + "</tr>\n"
        )
    out.append("</tbody>\n</table>\n</section>\n")
    out.append(f"<footer>Play along in the terminal: <code>vmo play {_h(routine.id)}</code></footer>\n")
    out.append("</body>\n</html>\n")
    return "".join(out)
