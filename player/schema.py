"""The JSON Schema (draft 2020-12) of the routine format, for editors.

It describes the same format as the loader, but the loader is the authority:
some rules (a duration's range, sound files existing, includes) only it checks.
"""

from __future__ import annotations

from typing import Any

from player.model import CATEGORIES, CUES

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


def routine_schema() -> dict[str, Any]:
    """The schema as a JSON-ready dict."""
    side = {"enum": ["left", "right"]}
    exercise = {
        "type": "object",
        "description": "An exercise: has duration, hold or reps.",
        "required": ["name"],
        "anyOf": [{"required": ["duration"]}, {"required": ["hold"]}, {"required": ["reps"]}],
        "additionalProperties": False,
        "properties": {
            "name": _text("Shown to the user."),
            "duration": _duration("One continuous timed block, e.g. a 2-minute jog."),
            "hold": _duration("Each rep is a hold of this length."),
            "reps": {"type": "integer", "minimum": 1, "maximum": 1000,
                     "description": "With hold: number of holds. With tempo: timed reps. Alone: reps at the user's own pace."},
            "tempo": {"type": "string", "pattern": r"^\d+(\.\d+)?(-\d+(\.\d+)?){1,3}$",
                      "description": "Seconds per phase of one rep, e.g. 2-1-2. Only with reps."},
            "sets": {"type": "integer", "minimum": 1, "maximum": 100, "description": "Default 1."},
            "sides": {"description": "both = [left, right]; absent = no sides.",
                      "anyOf": [{"enum": ["both", "left", "right"]}, {"type": "array", "items": side, "minItems": 1}]},
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
        },
        "allOf": [
            {"not": {"required": ["duration", "reps"]}},
            {"not": {"required": ["duration", "hold"]}},
            {"not": {"required": ["hold", "tempo"]}},
            {"not": {"required": ["duration", "tempo"]}},
        ],
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
        "if": {"anyOf": [{"required": ["duration"]}, {"required": ["hold"]}, {"required": ["reps"]}]},
        "then": {"$ref": "#/$defs/exercise"},
        "else": {
            "if": {"required": ["repeat"]},
            "then": {"$ref": "#/$defs/repeat"},
            "else": {
                "if": {"required": ["include"]},
                "then": {"$ref": "#/$defs/include"},
                "else": {"$ref": "#/$defs/rest"},
            },
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "vmo routine",
        "description": "A routine file for vmo, the guided exercise routine player (routine format version 1).",
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
            "steps": {"$ref": "#/$defs/steps"},
        },
        "$defs": {
            "steps": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/step"}},
            "step": {"type": "object", **step_kinds},
            "exercise": exercise,
            "rest": rest,
            "repeat": repeat,
            "include": include,
        },
    }
