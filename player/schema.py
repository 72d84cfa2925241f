"""The JSON Schema (draft 2020-12) of the routine format, for editors.

It describes the same format as the loader, but the loader is the authority:
some rules (a duration's range, sound files existing, includes) only it checks.
"""

from __future__ import annotations

from typing import Any

from player.model import CATEGORIES, CUES, IMAGE_SUFFIXES, MAX_IMAGES

SCHEMA_ID = "https://vmo.invalid/schema/routine.schema.json"

_DURATION_PATTERN = (
    r"^\s*(\d+(\.\d+)?"
    r"|(\d+:)?\d+:\d{2}(\.\d+)?"
    r"|(\d+(\.\d+)?\s*h)?\s*(\d+(\.\d+)?\s*m)?\s*(\d+(\.\d+)?\s*s)?)\s*$"
)


def _duration(description: str) -> dict[str, Any]:
    return {
        "description": description + " Seconds as a number, units (45s, 2m, 1m30s, 1h5m) or M:SS / H:MM:SS.",
        "anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": _DURATION_PATTERN}],
    }


def _text(description: str) -> dict[str, Any]:
    return {"type": "string", "description": description}


def _texts(description: str) -> dict[str, Any]:
    return {"type": "array", "items": {"type": "string"}, "description": description}


# ECMA-262 patterns have no inline flags: each letter of a suffix matches either case.
_IMAGE_PATTERN = r"^[^/\\~].*\.(" + "|".join(
    "".join(f"[{c}{c.upper()}]" for c in suffix[1:]) for suffix in IMAGE_SUFFIXES
) + r")$"
_DISTANCE_PATTERN = (
    r"^\s*(\d+(\.\d+)?|\.\d+)\s*(m|metres?|meters?|km|kilometres?|kilometers?|mi|miles?|yd|yards?|ft|foot|feet)\s*$"
)


def _image() -> dict[str, Any]:
    one = {"type": "string", "pattern": _IMAGE_PATTERN}
    return {
        "description": "A picture of the exercise: a path relative to the routine's folder (.png, .jpg, .jpeg, .gif, "
                       ".webp, .svg; at most 5 MiB), or a list of up to 4 (start and end positions).",
        "anyOf": [one, {"type": "array", "items": one, "minItems": 1, "maxItems": MAX_IMAGES}],
    }


def routine_schema() -> dict[str, Any]:
    """The schema as a JSON-ready dict."""
    side = {"enum": ["left", "right"]}
    patient_side = {"enum": ["affected", "unaffected"]}
    exercise = {
        "type": "object",
        "description": "An exercise: has duration, hold, reps or distance.",
        "required": ["name"],
        "anyOf": [{"required": ["duration"]}, {"required": ["hold"]}, {"required": ["reps"]}, {"required": ["distance"]}],
        "additionalProperties": False,
        "properties": {
            "name": _text("Shown to the user."),
            "duration": _duration("One continuous timed block, e.g. a 2-minute jog."),
            "hold": _duration("Each rep is a hold of this length."),
            "reps": {"description": "With hold: number of holds. With tempo: timed reps. Alone: reps at the user's own "
                                    "pace. max: as many as you can (the player asks how many were done).",
                     "anyOf": [{"type": "integer", "minimum": 1, "maximum": 1000}, {"const": "max"}]},
            "tempo": {"description": "Seconds per phase of one rep, e.g. 2-1-2, or 2 to 4 named phases in order, "
                                     "e.g. {down: 3, hold: 1, up: 3}. Only with reps.",
                      "anyOf": [
                          {"type": "string", "pattern": r"^\d+(\.\d+)?(-\d+(\.\d+)?){1,3}$"},
                          {"type": "object", "minProperties": 2, "maxProperties": 4,
                           "additionalProperties": _duration("Seconds of this phase.")},
                      ]},
            "sets": {"type": "integer", "minimum": 1, "maximum": 100, "description": "Default 1."},
            "sides": {"description": "both = [left, right]; alternate = left and right take turns hold by hold or "
                                     "rep by rep (with hold or tempo); affected / unaffected = the patient's sides, "
                                     "resolved at play time; absent = no sides.",
                      "anyOf": [
                          {"enum": ["both", "left", "right", "alternate", "affected", "unaffected"]},
                          {"type": "array", "items": side, "minItems": 1},
                          {"type": "array", "items": patient_side, "minItems": 1},
                      ]},
            "prepare": _duration("Get-ready time before the exercise."),
            "switch": _duration("Transition between sides."),
            "relax": _duration("Between holds of one set."),
            "rest": _duration("Between sets."),
            "instructions": _text("How to do it."),
            "cues": _texts("Short coaching points."),
            "equipment": _texts("What is needed."),
            "target": _text("Muscle or area."),
            "announce": _text("What the voice says when the exercise starts; default: its name."),
            "until_eased": {"type": "boolean", "description": "Only with hold: ask 'Is it easing?' after each hold."},
            "escalate_after": _duration("With until_eased: when to show `escalate`; default 10m."),
            "escalate": _text("With until_eased: what to do if it has not eased."),
            "progress": {"$ref": "#/$defs/progress"},
            "image": _image(),
            "video": {"type": "string", "pattern": "^https://[^\\s/]+", "description": "An https:// link to a demonstration."},
            "load": {"type": "string", "minLength": 1,
                     "description": "What is added, e.g. '1 lb ankle weight', 'red band'; shown with the dose."},
            "distance": {"type": "string", "pattern": _DISTANCE_PATTERN,
                         "description": "e.g. 400m, 20 m, 0.5 km, 1 mile. Alone: a segment that ends when the "
                                        "user says done; with duration: shown with it."},
        },
        "allOf": [
            {"not": {"required": ["duration", "reps"]}},
            {"not": {"required": ["duration", "hold"]}},
            {"not": {"required": ["hold", "tempo"]}},
            {"not": {"required": ["duration", "tempo"]}},
            {"not": {"required": ["distance", "hold"]}},
            {"not": {"required": ["distance", "tempo"]}},
            {"if": {"required": ["reps"], "properties": {"reps": {"const": "max"}}},
             "then": {"not": {"anyOf": [{"required": ["hold"]}, {"required": ["tempo"]}]}}},
            {"if": {"required": ["sides"], "properties": {"sides": {"const": "alternate"}}},
             "then": {"anyOf": [{"required": ["hold"]}, {"required": ["tempo"]}]}},
        ],
    }
    section = {
        "type": "object",
        "description": "A heading over the steps that follow it; no time of its own.",
        "required": ["section"],
        "additionalProperties": False,
        "properties": {"section": {"type": "string", "minLength": 1}, "description": _text("Shown under the heading.")},
    }
    rest = {
        "type": "object",
        "description": "A rest step.",
        "required": ["rest"],
        "additionalProperties": False,
        "properties": {"rest": _duration("Rest length."), "name": _text("Default 'Rest'."), "instructions": _text("")},
    }
    repeat = {
        "type": "object",
        "description": "Steps played `repeat` times.",
        "required": ["repeat", "steps"],
        "additionalProperties": False,
        "properties": {
            "repeat": {"type": "integer", "minimum": 1, "maximum": 100},
            "steps": {"$ref": "#/$defs/steps"},
            "name": _text("Shown on the rest between rounds."),
            "rest": _duration("Between rounds; default 0."),
        },
    }
    include = {
        "type": "object",
        "description": "Inline the steps of another routine file (a path relative to this file).",
        "required": ["include"],
        "additionalProperties": False,
        "properties": {"include": {"type": "string", "pattern": r"\.ya?ml$"}},
    }
    step_kinds = {
        "if": {"anyOf": [{"required": ["duration"]}, {"required": ["hold"]}, {"required": ["reps"]},
                         {"required": ["distance"]}]},
        "then": {"$ref": "#/$defs/exercise"},
        "else": {
            "if": {"required": ["repeat"]},
            "then": {"$ref": "#/$defs/repeat"},
            "else": {
                "if": {"required": ["include"]},
                "then": {"$ref": "#/$defs/include"},
                "else": {
                    "if": {"required": ["section"]},
                    "then": {"$ref": "#/$defs/section"},
                    "else": {"$ref": "#/$defs/rest"},
                },
            },
        },
    }
    routine = {
        "type": "object",
        "required": ["name", "steps"],
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string", "minLength": 1, "description": "Shown to the user."},
            "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$",
                   "description": "How the routine is named on the command line; default: the file name."},
            "category": {"enum": list(CATEGORIES), "description": "Default 'other'."},
            "summary": _text("One line for lists."),
            "description": _text("Longer text shown before starting."),
            "tags": _texts(""),
            "author": _text(""),
            "safety": _texts("Shown before the routine starts and on its summary."),
            "defaults": {
                "type": "object",
                "additionalProperties": False,
                "description": "Step settings for every step of this file unless the step sets them.",
                "properties": {
                    "prepare": _duration("Default 5."),
                    "switch": _duration("Default 5."),
                    "relax": _duration("Default 5."),
                    "rest": _duration("Default 30."),
                    "countdown": {"type": "integer", "minimum": 0, "maximum": 60,
                                  "description": "Countdown cues in the last N seconds; default 3, 0 = off."},
                    "halfway": {"type": "boolean", "description": "Halfway cue on work of 10 s or more; default true."},
                },
            },
            "sounds": {
                "type": "object",
                "additionalProperties": False,
                "description": "Which sound plays for a cue: a bundled sound name, a .wav path in this folder, or none.",
                "properties": {cue: {"type": "string", "minLength": 1} for cue in CUES},
            },
            "ask_pain": {"type": "boolean", "description": "Ask for a pain rating (0-10) before and after."},
            "frequency": {"$ref": "#/$defs/frequency"},
            "steps": {"$ref": "#/$defs/steps"},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "vmo routine or programme",
        "description": "A routine file for vmo, the guided exercise routine player (routine format version 1),"
        " or a programme file (phases of routines over weeks).",
        "type": "object",
        "if": {"required": ["phases"]},
        "then": {"$ref": "#/$defs/programme"},
        "else": {"$ref": "#/$defs/routine"},
        "$defs": {
            "routine": routine,
            **_programme_defs(),
            "steps": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/step"}},
            "step": {"type": "object", **step_kinds},
            "exercise": exercise,
            "rest": rest,
            "repeat": repeat,
            "include": include,
            "section": section,
        },
    }


def _whole(low: int, high: int, description: str) -> dict[str, Any]:
    return {"type": "integer", "minimum": low, "maximum": high, "description": description}


FREQUENCY_PROPERTIES: dict[str, Any] = {
    "times_a_day": _whole(1, 24, "Sessions on a day it is done; default 1."),
    "days_a_week": _whole(1, 7, "On how many days of each week (the user picks which); default 7. Not with days."),
    "days": {"type": "array", "minItems": 1, "uniqueItems": True,
             "items": {"enum": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]},
             "description": "On these weekdays only. Not with days_a_week."},
    "weeks": _whole(1, 104, "For how many weeks; absent: no end."),
}


def _programme_defs() -> dict[str, Any]:
    """The definitions of program-format.md: frequency, progress and programme files."""
    step_or_cap = {
        "anyOf": [{"type": "integer", "minimum": 1}, {"type": "number", "exclusiveMinimum": 0},
                  {"type": "string", "pattern": _DURATION_PATTERN}],
    }
    progress = {
        "type": "object",
        "description": "Grow one number each session or week: exactly one of reps, hold, duration, sets (the step).",
        "required": ["every", "up_to"],
        "additionalProperties": False,
        "properties": {
            "reps": {"type": "integer", "minimum": 1, "description": "Reps added each step."},
            "sets": {"type": "integer", "minimum": 1, "description": "Sets added each step."},
            "hold": _duration("Added to the hold each step."),
            "duration": _duration("Added to the duration each step."),
            "every": {"enum": ["session", "week"], "description": "A counted session, or a whole week of the phase."},
            "up_to": {**step_or_cap, "description": "The cap (same kind as the step)."},
            "then": {
                "type": "object", "minProperties": 1, "additionalProperties": False,
                "description": "After one step at the cap, start again from these values (once), e.g. {reps: 20, load: 1 lb ankle weight}.",
                "properties": {
                    "reps": {"type": "integer", "minimum": 1}, "sets": {"type": "integer", "minimum": 1},
                    "hold": _duration(""), "duration": _duration(""), "load": _text("What is added, e.g. a 1 lb ankle weight."),
                },
            },
        },
        "oneOf": [{"required": [k]} for k in ("reps", "hold", "duration", "sets")],
    }
    frequency = {
        "type": "object", "additionalProperties": False,
        "description": "How often the routine is done; makes it a one-phase programme.",
        "properties": FREQUENCY_PROPERTIES,
        "not": {"required": ["days", "days_a_week"]},
    }
    entry = {
        "type": "object", "required": ["routine"], "additionalProperties": False,
        "description": "A routine of the phase, with its frequency keys inline (they replace the routine's own frequency).",
        "properties": {"routine": _text("A routine id, or a path relative to this file."), **FREQUENCY_PROPERTIES},
        "not": {"required": ["days", "days_a_week"]},
    }
    phase = {
        "type": "object", "required": ["phase", "weeks", "routines"], "additionalProperties": False,
        "properties": {
            "phase": _text("The phase's name, e.g. 'Phase 1: settle the knee'."),
            "weeks": _whole(1, 104, "Planned length in weeks."),
            "routines": {"type": "array", "minItems": 1, "items": entry},
            "advance": {
                "type": "object", "additionalProperties": False,
                "description": "All of these propose the next phase (the user accepts or declines).",
                "properties": {
                    "after_weeks": _whole(0, 104, "Whole weeks of the phase passed; default: its weeks."),
                    "sessions": _whole(1, 1000, "Counted sessions done in this phase."),
                    "pain_at_most": _whole(0, 10, "Pain after the last sessions (or 3) at most this."),
                    "next_day": {"enum": ["not_worse"], "description": "No 'worse' next-day answer in this phase."},
                },
            },
            "step_back": {
                "type": "object", "additionalProperties": False,
                "description": "Any one of these proposes the previous phase.",
                "properties": {
                    "pain_at_least": _whole(0, 10, "A pain rating after a session at or above this."),
                    "next_day_worse": _whole(1, 100, "That many 'worse' next-day answers in a row."),
                },
            },
        },
    }
    programme = {
        "type": "object", "required": ["name", "phases"], "additionalProperties": False,
        "description": "A programme: phases of routines over weeks.",
        "properties": {
            "name": {"type": "string", "minLength": 1, "description": "Shown to the user."},
            "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$", "description": "Default: the file name."},
            "summary": _text("One line for lists."),
            "description": _text("Longer text."),
            "author": _text(""),
            "safety": _texts("Shown with the programme."),
            "patient": {
                "type": "object", "additionalProperties": False, "description": "Who it is for; shown on handouts.",
                "properties": {"name": _text(""), "affected_side": {"enum": ["left", "right"]}},
            },
            "clinician": _text("Who prescribed it and how to reach them."),
            "start": {"pattern": r"^\d{4}-\d{2}-\d{2}$", "description": "YYYY-MM-DD; default: the day it is started."},
            "phases": {"type": "array", "minItems": 1, "items": phase},
        },
    }
    return {"progress": progress, "frequency": frequency, "programme": programme}
