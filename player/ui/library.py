"""The library screen: routines grouped by category, type to filter, details, Enter starts.

An invalid routine file is listed with its first problem and can be read but not
started. Choosing a routine posts `LibraryScreen.RoutineChosen`; the app decides
what happens next (safety notes, then the player).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from player.durations import format_duration
from player.library import Entry
from player.model import CATEGORIES, Exercise, Routine
from player.problems import Problem, errors
from player.render import total_text
from player.ui.safe import sanitize
from player.timeline import compile_timeline
from player.ui.keys import LIBRARY_KEYS, bindings

if TYPE_CHECKING:
    from player.ui.today import Followed, Today

CATEGORY_TITLES = {
    "warm-up": "Warm-up", "activation": "Activation", "strength": "Strength", "stretch": "Stretch",
    "cool-down": "Cool-down", "cramp": "Cramp", "other": "Other",
}
INVALID_TITLE = "Files with errors"
# The list shows at most this many routines; the filter finds the others. The list
# widget measures every option it holds, so this keeps a keystroke and the first
# frame fast, and memory in proportion to what is shown, in a library of thousands.
LIST_LIMIT = 100


def first_problem(entry: Entry) -> str:
    """The first error of an invalid entry: `LINE:COL: message` (the file name is shown beside it)."""
    found = errors(entry.problems) or list(entry.problems)
    if not found:
        return "invalid routine file"
    first = found[0]
    return sanitize(f"{first.line}:{first.column}: {first.message}")


def haystack(entry: Entry) -> str:
    """Everything a filter matches against, lower-cased (kept in the library index)."""
    return entry.info.search


def in_list_order(entries: Iterable[Entry]) -> list[tuple[str, int, str]]:
    """(group title, index, filter words) of each entry in the list's order: by category, then name; invalid files last."""
    order = {c: n for n, c in enumerate(CATEGORIES)}
    keyed = []
    for i, entry in enumerate(entries):
        info = entry.info
        if entry.valid:
            category = info.category or "other"
            key = (order.get(category, len(order)), category, (info.name or "").lower())
            title = CATEGORY_TITLES.get(category, category.capitalize())
        else:
            key, title = (len(order) + 1, "", entry.id), INVALID_TITLE
        keyed.append((key, i, title, info.search))
    keyed.sort(key=lambda k: (k[0], k[1]))
    return [(title, i, words) for _key, i, title, words in keyed]


def matching(ordered: list[tuple[str, int, str]], needle: str) -> list[tuple[str, int, str]]:
    """The entries whose filter words hold every word of `needle`, in order (one pass per word)."""
    for word in needle.lower().split():
        ordered = [item for item in ordered if word in item[2]]
    return ordered


def grouped(entries: Iterable[Entry], needle: str = "") -> list[tuple[str, list[tuple[int, Entry]]]]:
    """(category title, [(index, entry)]) in category order, invalid files last; only entries matching `needle`."""
    entries = list(entries)
    out: list[tuple[str, list[tuple[int, Entry]]]] = []
    for title, i, _words in matching(in_list_order(entries), needle):
        if not out or out[-1][0] != title:
            out.append((title, []))
        out[-1][1].append((i, entries[i]))
    return out


def dose_text(ex: Exercise) -> str:
    """An exercise's dose in words: `2 sets × 10 holds of 10 s, both sides`."""
    if ex.duration is not None:
        dose = format_duration(ex.duration)
    elif ex.hold is not None:
        reps = ex.reps or 1
        dose = f"{reps} hold{'s' * (reps != 1)} of {format_duration(ex.hold)}"
        if ex.until_eased:
            dose = f"hold {format_duration(ex.hold)} until it eases"
    elif ex.tempo is not None:
        dose = f"{ex.reps} reps, tempo {'-'.join(f'{t:g}' for t in ex.tempo)}"
    else:
        dose = f"{ex.reps} reps at your own pace"
    if ex.sets > 1:
        dose = f"{ex.sets} sets × {dose}"
    if ex.sides:
        dose += ", both sides" if set(ex.sides) == {"left", "right"} else f", {' then '.join(ex.sides)} side"
    return dose


def details_content(entry: Entry, routine: Routine | None = None, problems: Sequence[Problem] = ()) -> Content:
    """The details pane for `entry`: literal text with a few styles of ours.

    `routine` is the entry's file checked now; without it (an invalid file, or one
    that turned invalid since the library was read) the pane lists the problems.
    """
    parts: list[str | tuple[str, str]] = []
    r = routine
    if r is None:
        found = list(problems) or list(entry.problems)
        parts += [(sanitize(entry.path.name), "bold"), "\n\n", ("This file has errors and cannot be played:", "bold $error"), "\n"]
        for problem in errors(found) or found:
            parts += ["• ", sanitize(str(problem)), "\n"]
        parts += ["\n", f"Fix it, then check it with: vmo check {sanitize(str(entry.path))}"]
        return Content.assemble(*parts)
    tl = compile_timeline(r)
    parts += [(sanitize(r.name), "bold"), "\n"]
    if r.summary:
        parts += [(sanitize(r.summary), "italic"), "\n"]
    parts += ["\n", ("Total time: ", "bold"), total_text(tl), "\n"]
    equipment = r.equipment()
    parts += [("Equipment: ", "bold"), ", ".join(sanitize(e) for e in equipment) if equipment else "none", "\n"]
    if r.description:
        parts += ["\n", sanitize(r.description.strip()), "\n"]
    parts += ["\n", ("Exercises:", "bold"), "\n"]
    for ex in r.exercises():
        parts += ["• ", sanitize(ex.name), (f"  {dose_text(ex)}", "dim"), "\n"]
    if r.safety:
        parts += ["\n", ("Safety:", "bold $warning"), "\n"]
        for note in r.safety:
            parts += ["• ", sanitize(note), "\n"]
    parts += ["\n", (f"{entry.source} · {sanitize(entry.path.name)}", "dim")]
    return Content.assemble(*parts)


def option_prompt(entry: Entry) -> Content:
    """One line of the list: the name and total time, or the file and its first problem."""
    if not entry.valid:
        return Content.assemble(("✗ ", "bold $error"), sanitize(entry.path.name), ("  invalid: ", "$error"), first_problem(entry))
    return Content.assemble(sanitize(entry.info.name or entry.id), ("  " + entry.info.length, "dim"))


DUE_TITLE = "Due today"
PROGRAMMES_TITLE = "Your programmes"


def due_prompt(followed: Followed, item) -> Content:  # type: ignore[no-untyped-def]
    """One due session: the routine, its programme, which of today's sessions, the dose."""
    from player.planner import dose_note

    where = "" if followed.programme.routine_based else f"  {sanitize(followed.programme.name)}"
    doses = [f"{sanitize(name)} {sanitize(dose_note(v, item.previous_dose.get(name)))}" for name, v in item.dose.items()]
    return Content.assemble(
        ("▶ ", "bold $success"), sanitize(item.routine_name), (where, "dim"),
        (f"  {item.done_today + 1} of {item.times_a_day} today", "dim"),
        (("  " + "; ".join(doses)) if doses else "", "italic"),
    )


def programme_prompt(followed: Followed) -> Content:
    """One programme followed: its name and where the user is, with a mark when a proposal waits."""
    result = followed.plan
    if result.phase is not None:
        where = f"  phase {result.phase.index + 1} of {len(followed.programme.phases)}, week {result.phase.week}"
    elif result.finished:
        where = "  finished"
    else:
        where = "  not begun"
    wait = ("  proposal waiting", "bold $warning") if result.proposal is not None else ("", "")
    return Content.assemble(sanitize(followed.programme.name), (where, "dim"), wait)


def today_options(today: Today) -> list[Option]:
    """The options above the routines: each session due today (`d<n>`), then each programme followed (`p<n>`)."""
    if not today.followed:
        return []
    found = [Option(Content.styled(DUE_TITLE, "bold $accent"), disabled=True)]
    due = today.due()
    for n, (followed, item) in enumerate(due):
        found.append(Option(due_prompt(followed, item), id=f"d{n}"))
    if not due:
        found.append(Option(Content.styled("Nothing due today. Well done, or rest.", "dim"), disabled=True))
    found.append(Option(Content.styled(PROGRAMMES_TITLE, "bold $accent"), disabled=True))
    for n, followed in enumerate(today.followed):
        found.append(Option(programme_prompt(followed), id=f"p{n}"))
    return found


def more_text(hidden: int) -> str:
    """The last line of a list cut at LIST_LIMIT routines."""
    return f"… and {hidden:,} more; type to narrow the list"


class LibraryScreen(Screen[None]):
    """The routine library."""

    CSS_PATH = str(Path(__file__).with_name("library.tcss"))  # read when first shown, not at start-up
    BINDINGS = bindings(LIBRARY_KEYS)

    class RoutineChosen(Message):
        """The user asked to start this entry's routine."""

        def __init__(self, entry: Entry, routine: Routine) -> None:
            super().__init__()
            self.entry = entry
            self.routine = routine

    def __init__(self, entries: list[Entry]) -> None:
        super().__init__()
        self.entries = entries
        # Built when first shown, so memory and time follow what is on the list, not the library.
        self._prompts: dict[int, Content] = {}
        self._loaded: dict[Path, tuple[Routine | None, list[Problem]]] = {}
        self._needle: str | None = None
        self._ordered = in_list_order(entries)  # sorted once: a keystroke only filters
        self.today: Today | None = None  # what is due: read after the first frame (app.show_today)

    def compose(self) -> ComposeResult:
        with Horizontal(id="library"):
            with Vertical(id="library-left"):
                yield Input(placeholder="Type to filter", id="filter")
                yield OptionList(id="routines")
            with VerticalScroll(id="details"):
                yield Static(Content(""), id="details-body")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._fill("")
        self.query_one("#filter", Input).focus()

    def _fill(self, needle: str) -> None:
        if needle == self._needle:
            return  # the Input also reports its first, empty value: keep the cursor where it is
        self._needle = needle
        options = self.query_one("#routines", OptionList)
        options.clear_options()
        found: list[Option] = today_options(self.today) if self.today is not None and not needle else []
        shown = matching(self._ordered, needle)
        title = None
        for group, i, _words in shown[:LIST_LIMIT]:
            if group != title:
                found.append(Option(Content.styled(group, "bold $accent"), disabled=True))
                title = group
            found.append(Option(self._prompt(i, self.entries[i]), id=f"r{i}"))
        if len(shown) > LIST_LIMIT:
            found.append(Option(Content.styled(more_text(len(shown) - LIST_LIMIT), "dim"), disabled=True))
        if not found:
            found.append(Option(Content("No routine matches the filter."), disabled=True))
        options.add_options(found)
        first = next((n for n, o in enumerate(found) if not o.disabled), None)
        options.highlighted = first
        if first is None:
            self._show_details(None)

    def show_today(self, today: Today) -> None:
        """Show what is due today above the routines (when the filter is empty), the cursor on the first."""
        before, self.today = self.today, today
        if not today.followed and (before is None or not before.followed):
            return  # nothing followed: the list stays as it is, the cursor where it was
        needle, self._needle = self._needle or "", None
        self._fill(needle)

    def replace_entries(self, entries: list[Entry]) -> None:
        """Show `entries` instead (the library changed on disk), keeping the filter."""
        self.entries = entries
        self._prompts.clear()
        self._loaded.clear()
        self._ordered = in_list_order(entries)
        needle, self._needle = self._needle or "", None
        self._fill(needle)

    def _prompt(self, index: int, entry: Entry) -> Content:
        prompt = self._prompts.get(index)
        if prompt is None:
            prompt = self._prompts[index] = option_prompt(entry)
        return prompt

    def _load(self, entry: Entry) -> tuple[Routine | None, list[Problem]]:
        """The entry's routine, checked when first shown (a few are kept for moving back and forth)."""
        found = self._loaded.get(entry.path)
        if found is None:
            if entry.valid:
                loaded, problems = entry.load()
                found = (loaded if isinstance(loaded, Routine) else None, problems)
            else:
                found = (None, list(entry.problems))
            if len(self._loaded) >= 32:
                self._loaded.pop(next(iter(self._loaded)))
            self._loaded[entry.path] = found
        return found

    def _entry_at(self, option: Option | None) -> Entry | None:
        if option is None or option.id is None or option.id[0] != "r":
            return None
        return self.entries[int(option.id[1:])]

    def _today_at(self, option: Option | None) -> tuple[Followed, object | None] | None:
        """(programme, due item) for a due session's option, (programme, None) for a programme's, else None."""
        if option is None or option.id is None or self.today is None or option.id[0] not in "dp":
            return None
        n = int(option.id[1:])
        if option.id[0] == "d":
            return self.today.due()[n]
        return self.today.followed[n], None

    @property
    def highlighted(self) -> Entry | None:
        """The entry under the cursor."""
        options = self.query_one("#routines", OptionList)
        if options.highlighted is None:
            return None
        return self._entry_at(options.get_option_at_index(options.highlighted))

    def _show_programme(self, followed: Followed) -> None:
        from player.ui.programme_screen import programme_content

        assert self.today is not None
        self.query_one("#details-body", Static).update(programme_content(followed.programme, followed.plan, self.today.on))
        self.query_one("#details", VerticalScroll).scroll_home(animate=False)

    def _show_details(self, entry: Entry | None) -> None:
        body = self.query_one("#details-body", Static)
        if entry is None:
            body.update(Content(""))
        else:
            routine, problems = self._load(entry)
            body.update(details_content(entry, routine, problems))
        self.query_one("#details", VerticalScroll).scroll_home(animate=False)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(OptionList.OptionHighlighted, "#routines")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        found = self._today_at(event.option)
        if found is not None:
            self._show_programme(found[0])
            return
        self._show_details(self._entry_at(event.option))

    @on(OptionList.OptionSelected, "#routines")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if self._today_chosen(event.option):
            return
        entry = self._entry_at(event.option)
        if entry is not None:
            self._choose(entry)

    @on(Input.Submitted, "#filter")
    def _submitted(self, event: Input.Submitted) -> None:
        self.action_start()

    def _today_chosen(self, option: Option | None) -> bool:
        """A due session starts (with its dose); a programme opens its screen. False for anything else."""
        found = self._today_at(option)
        if found is None:
            return False
        followed, item = found
        if item is None:
            getattr(self.app, "open_programme")(followed.programme)
        else:
            getattr(self.app, "start_due")(followed.programme, getattr(item, "routine"))
        return True

    def action_open_programme(self) -> None:
        """The highlighted programme's (or due session's programme's) screen."""
        options = self.query_one("#routines", OptionList)
        option = options.get_option_at_index(options.highlighted) if options.highlighted is not None else None
        found = self._today_at(option)
        if found is None:
            self.notify("Highlight a programme (or a session due) first", markup=False)
            return
        getattr(self.app, "open_programme")(found[0].programme)

    def action_start(self) -> None:
        """Start the highlighted routine, or the highlighted session due."""
        options = self.query_one("#routines", OptionList)
        if options.highlighted is not None and self._today_chosen(options.get_option_at_index(options.highlighted)):
            return
        entry = self.highlighted
        if entry is not None:
            self._choose(entry)

    def _choose(self, entry: Entry) -> None:
        routine, problems = self._load(entry)
        if routine is None:
            first = errors(problems) or problems
            why = sanitize(f"{first[0].line}:{first[0].column}: {first[0].message}") if first else first_problem(entry)
            self.notify(f"Cannot start {sanitize(entry.path.name)}: {why}", severity="error", markup=False)
            return
        self.post_message(self.RoutineChosen(entry, routine))

    def action_cursor(self, step: int) -> None:
        """Move the cursor through the routines (the filter keeps the focus)."""
        options = self.query_one("#routines", OptionList)
        if step < 0:
            options.action_cursor_up()
        else:
            options.action_cursor_down()

    def action_clear_filter(self) -> None:
        """Empty the filter."""
        self.query_one("#filter", Input).value = ""
