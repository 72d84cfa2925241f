"""Draw the bundled routines' exercise pictures: one SVG per exercise, start and end side by side.

    python tools/draw_pictures.py           # write routines/<folder>/pictures/*.svg
    python tools/draw_pictures.py --check   # exit 1 if a written file differs from what it would write
    python tools/draw_pictures.py --png DIR # also render each to DIR/<name>.png (needs resvg-py) to look at

Every picture comes from one stick figure and one style, so they stay consistent: a pose is
the hip's place and each body segment's direction, in degrees (0 points straight down,
90 forward, the way the figure faces; 180 straight up; negative angles point backwards).
Limbs on the far side are drawn lighter, the working leg or muscle in the accent colour.
A side view shows most exercises; `front=True` draws the figure from the front (or from
behind, or from above) for the movements that happen across the body.

The pictures are part of vmo and are licensed with it (MIT).
"""

from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
ROUTINES = REPO / "routines"

# ---------- style ----------
INK = "#1f2933"       # near limbs, torso, head
FAR = "#9aa5b1"       # far limbs
ACCENT = "#e8590c"    # the working leg or muscle
PROP = "#7b8794"      # floor, wall, chair, band, roller
PROP_FILL = "#e4e7eb"
WIDTH = 3.2           # limb stroke
PANEL = 200           # each pose's square panel
GAP = 28              # between the panels, holds the arrow
FLOOR = 186

# ---------- body ----------
HEAD_R = 10.5
NECK = 5.0
TORSO = 52.0
UPPER_ARM = 27.0
FOREARM = 25.0
THIGH = 42.0
SHIN = 40.0
FOOT = 12.0
HIP_HALF = 8.0        # front view: half the hips' width
SHOULDER_HALF = 13.0  # front view: half the shoulders' width


def vec(angle: float, length: float) -> tuple[float, float]:
    """A segment of `length` pointing at `angle` (0 down, 90 forward, 180 up) in SVG coordinates."""
    a = math.radians(angle)
    return (length * math.sin(a), length * math.cos(a))


def add(p: tuple[float, float], d: tuple[float, float]) -> tuple[float, float]:
    return (p[0] + d[0], p[1] + d[1])


def reach(shoulder: tuple[float, float], target: tuple[float, float], bend: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """Elbow and hand for a hand on `target` (or as near as the arm reaches); the elbow bends to the side of `bend`'s sign."""
    dx, dy = target[0] - shoulder[0], target[1] - shoulder[1]
    d = math.hypot(dx, dy) or 1e-6
    if d >= UPPER_ARM + FOREARM:
        u = (dx / d, dy / d)
        elbow = (shoulder[0] + u[0] * UPPER_ARM, shoulder[1] + u[1] * UPPER_ARM)
        return elbow, (shoulder[0] + u[0] * (UPPER_ARM + FOREARM), shoulder[1] + u[1] * (UPPER_ARM + FOREARM))
    along = (UPPER_ARM ** 2 - FOREARM ** 2 + d * d) / (2 * d)
    up = math.sqrt(max(UPPER_ARM ** 2 - along ** 2, 0.0))
    sign = 1.0 if bend >= 0 else -1.0
    ux, uy = dx / d, dy / d
    elbow = (shoulder[0] + ux * along - sign * uy * up, shoulder[1] + uy * along + sign * ux * up)
    return elbow, target


Limb = tuple[float, float] | tuple[float, float, float]  # upper, lower (and foot) angles


@dataclass
class Pose:
    """One position of the figure. Legs: (thigh, shin, foot); arms: (upper arm, forearm)."""

    torso: float = 180.0
    near_leg: Limb = (0.0, 0.0, 90.0)
    far_leg: Limb = (0.0, 0.0, 90.0)
    near_arm: Limb = (10.0, 20.0)
    far_arm: Limb = (-10.0, 10.0)
    head: float | None = None         # head direction from the neck; None: as the torso
    hip: tuple[float, float] | None = None  # None: centred, lowest point on the floor
    front: bool = False               # front view: legs and arms either side of the body
    shoulder_half: float = SHOULDER_HALF
    accent: tuple[str, ...] = ()      # segment names drawn in the accent colour
    behind: list[Callable[[dict], str]] = field(default_factory=list)  # props under the figure
    over: list[Callable[[dict], str]] = field(default_factory=list)    # props over it
    floor: bool = True
    lift: float = 0.0                 # raise the lowest point this far above the floor
    shift: float = 0.0                # move right after centring
    lean: float = 1.0                 # front view: the torso foreshortened when it leans towards you
    far_leg_scale: float = 1.0        # the far leg foreshortened (a knee bent towards you)
    # Hands placed on the body instead of by angle: (joint a, joint b, fraction of the way, sideways offset).
    near_hand: tuple[str, str, float, float] | None = None
    far_hand: tuple[str, str, float, float] | None = None

    def joints(self) -> dict[str, tuple[float, float]]:
        j: dict[str, tuple[float, float]] = {}
        hip = (0.0, 0.0)
        j["hip"] = hip
        torso = TORSO * self.lean
        j["neck"] = add(hip, vec(self.torso, torso))
        head_dir = self.torso if self.head is None else self.head
        j["head"] = add(j["neck"], vec(head_dir, NECK + HEAD_R))
        if self.front:
            side = vec(self.torso - 90, 1.0)  # perpendicular to the spine: the figure's left on the right
            hip_pts = {"near": add(hip, (side[0] * HIP_HALF, side[1] * HIP_HALF)),
                       "far": add(hip, (-side[0] * HIP_HALF, -side[1] * HIP_HALF))}
            sh = self.shoulder_half
            sho = add(hip, vec(self.torso, torso - 3))
            sho_pts = {"near": add(sho, (side[0] * sh, side[1] * sh)), "far": add(sho, (-side[0] * sh, -side[1] * sh))}
            j["shoulders"] = sho
        else:
            hip_pts = {"near": hip, "far": hip}
            sho = add(hip, vec(self.torso, torso - 3))
            sho_pts = {"near": sho, "far": sho}
            j["shoulders"] = sho
        for name, leg in (("near", self.near_leg), ("far", self.far_leg)):
            k = self.far_leg_scale if name == "far" else 1.0
            j[f"{name}_hip"] = hip_pts[name]
            j[f"{name}_knee"] = add(hip_pts[name], vec(leg[0], THIGH * k))
            j[f"{name}_ankle"] = add(j[f"{name}_knee"], vec(leg[1], SHIN * k))
            if len(leg) > 2:
                j[f"{name}_toe"] = add(j[f"{name}_ankle"], vec(leg[2], FOOT))  # type: ignore[misc]
        for name, arm, grip in (("near", self.near_arm, self.near_hand), ("far", self.far_arm, self.far_hand)):
            j[f"{name}_shoulder"] = sho_pts[name]
            if grip is None:
                j[f"{name}_elbow"] = add(sho_pts[name], vec(arm[0], UPPER_ARM))
                j[f"{name}_hand"] = add(j[f"{name}_elbow"], vec(arm[1], FOREARM))
            else:
                a, b, frac, offset = grip
                target = (j[a][0] + (j[b][0] - j[a][0]) * frac + offset, j[a][1] + (j[b][1] - j[a][1]) * frac)
                j[f"{name}_elbow"], j[f"{name}_hand"] = reach(sho_pts[name], target, bend=arm[0])
        return j

    def placed(self, x0: float) -> dict[str, tuple[float, float]]:
        """The joints moved into the panel starting at `x0`."""
        j = self.joints()
        if self.hip is not None:
            dx, dy = self.hip
        else:
            xs = [p[0] for p in j.values()]
            lowest = max(max(p[1] for k, p in j.items() if k != "head"), j["head"][1] + HEAD_R)
            dx = PANEL / 2 - (min(xs) + max(xs)) / 2 + self.shift
            dy = FLOOR - self.lift - lowest - WIDTH / 2
        placed = {k: (x0 + p[0] + dx, p[1] + dy) for k, p in j.items()}
        placed["origin"] = (x0, 0.0)  # the panel's left edge: props placed by panel coordinates
        return placed


def line(a: tuple[float, float], b: tuple[float, float], colour: str, width: float = WIDTH, extra: str = "") -> str:
    return (f'<line x1="{a[0]:.1f}" y1="{a[1]:.1f}" x2="{b[0]:.1f}" y2="{b[1]:.1f}" '
            f'stroke="{colour}" stroke-width="{width:g}" stroke-linecap="round"{extra}/>')


def draw_figure(pose: Pose, j: dict[str, tuple[float, float]]) -> list[str]:
    out: list[str] = []

    def seg(name: str, a: str, b: str, base: str) -> None:
        if a not in j or b not in j:
            return
        if name in pose.accent:
            out.append(line(j[a], j[b], ACCENT, round(WIDTH * 3.2, 1), ' stroke-opacity="0.35"'))
            out.append(line(j[a], j[b], ACCENT, round(WIDTH + 0.6, 1)))
        else:
            out.append(line(j[a], j[b], base))

    far = INK if pose.front else FAR
    for side, colour in (("far", far), ("near", INK)):
        if side == "near":
            seg("torso", "hip", "neck", INK)
            if pose.front:
                seg("hips", "far_hip", "near_hip", INK)
                seg("shoulders", "far_shoulder", "near_shoulder", INK)
        seg(f"{side}_thigh", f"{side}_hip", f"{side}_knee", colour)
        seg(f"{side}_shin", f"{side}_knee", f"{side}_ankle", colour)
        seg(f"{side}_foot", f"{side}_ankle", f"{side}_toe", colour)
        seg(f"{side}_upper_arm", f"{side}_shoulder", f"{side}_elbow", colour)
        seg(f"{side}_forearm", f"{side}_elbow", f"{side}_hand", colour)
    hx, hy = j["head"]
    out.append(f'<circle cx="{hx:.1f}" cy="{hy:.1f}" r="{HEAD_R}" fill="#ffffff" stroke="{INK}" stroke-width="{WIDTH}"/>')
    return out


# ---------- props (each takes the placed joints) ----------

def rect(x: float, y: float, w: float, h: float, rx: float = 0, fill: str = PROP_FILL) -> str:
    return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="{rx}" '
            f'fill="{fill}" stroke="{PROP}" stroke-width="1.6"/>')


def wall_at(x: float, top: float = 30) -> Callable[[dict], str]:
    def draw(j: dict) -> str:
        return rect(j["origin"][0] + x, top, 8, FLOOR - top)
    return draw


def wall_at_joint(joint: str, dx: float, top: float = 30) -> Callable[[dict], str]:
    def draw(j: dict) -> str:
        return rect(j[joint][0] + dx, top, 8, FLOOR - top)
    return draw


def backdrop(j: dict) -> str:
    """A wall seen face on, behind the figure (the figure faces it)."""
    x0 = j["hip"][0] - 70
    return rect(x0, 22, 140, FLOOR - 22, fill="#f5f7fa")


def mat(j: dict) -> str:
    return rect(j["origin"][0] + 6, FLOOR - 4, PANEL - 12, 4, rx=2)


def mat_from_above(j: dict) -> str:
    """A mat seen from above, under a figure lying on it."""
    x0 = j["origin"][0]
    return rect(x0 + 40, 8, 120, 184, rx=4, fill="#f5f7fa")


def towel_under(joint: str) -> Callable[[dict], str]:
    def draw(j: dict) -> str:
        x, _ = j[joint]
        return f'<circle cx="{x:.1f}" cy="{FLOOR - 5:.1f}" r="5" fill="{PROP_FILL}" stroke="{PROP}" stroke-width="1.6"/>'
    return draw


def band(anchor_x: float, joint: str) -> Callable[[dict], str]:
    def draw(j: dict) -> str:
        x, y = j[joint]
        ax = j["origin"][0] + anchor_x
        return rect(ax, 60, 8, FLOOR - 60) + line((ax, y), (x + 3, y), PROP, 2.4)
    return draw


def chair(x: float, facing: int = 1, seat: float = 128) -> Callable[[dict], str]:
    """A chair whose seat's front edge is at x; facing 1: the seat's front faces right."""
    def draw(j: dict) -> str:
        x0 = j["origin"][0] + x
        back = x0 - facing * 42
        parts = [
            line((back, seat), (x0, seat), PROP, 3),
            line((x0, seat), (x0, FLOOR), PROP, 2.4),
            line((back, seat), (back, FLOOR), PROP, 2.4),
            line((back, seat), (back, seat - 48), PROP, 3),
        ]
        return "".join(parts)
    return draw


def chair_under(joint: str, facing: int = 1, front_extra: float = 6) -> Callable[[dict], str]:
    """A chair whose seat is just below `joint` (the hip), front edge a little ahead of it."""
    def draw(j: dict) -> str:
        x, y = j[joint]
        return chair(x - j["origin"][0] + facing * (front_extra + 12), facing, y + 5)(j)
    return draw


def chair_front(joint: str) -> Callable[[dict], str]:
    """A chair seen from the front, seat under `joint`."""
    def draw(j: dict) -> str:
        x, y = j[joint]
        seat = y + 5
        return "".join([
            rect(x - 30, seat - 26 - 40, 60, 40, rx=3, fill="#f5f7fa"),
            line((x - 30, seat), (x + 30, seat), PROP, 3),
            line((x - 27, seat), (x - 27, FLOOR), PROP, 2.4),
            line((x + 27, seat), (x + 27, FLOOR), PROP, 2.4),
        ])
    return draw


def step_under(joint: str) -> Callable[[dict], str]:
    def draw(j: dict) -> str:
        x, y = j[joint]
        top = y + 2.5
        return rect(x - 14, top, 34, FLOOR - top)
    return draw


def roller_at(x_joint: str, frac: float, other: str, below: bool = True) -> Callable[[dict], str]:
    """A foam roller drawn from above: a rounded bar under the segment from `x_joint` to `other`."""
    def draw(j: dict) -> str:
        a, b = j[x_joint], j[other]
        cx = a[0] + (b[0] - a[0]) * frac
        cy = a[1] + (b[1] - a[1]) * frac
        return rect(cx - 6, cy - 24, 12, 48, rx=6)
    return draw


def stick_on(joint_a: str, joint_b: str, frac: float) -> Callable[[dict], str]:
    """A roller stick held across the segment a-b at `frac` of the way."""
    def draw(j: dict) -> str:
        a, b = j[joint_a], j[joint_b]
        cx = a[0] + (b[0] - a[0]) * frac
        cy = a[1] + (b[1] - a[1]) * frac
        return line((cx - 16, cy - 4), (cx + 16, cy + 4), PROP, 5)
    return draw


def stick_between(j: dict) -> str:
    """A roller stick held in both hands."""
    return line(j["far_hand"], j["near_hand"], PROP, 5)


def bottle_in(joint: str) -> Callable[[dict], str]:
    def draw(j: dict) -> str:
        x, y = j[joint]
        return rect(x - 3.5, y - 14, 7, 16, rx=2, fill="#d9e2ec")
    return draw


def post_at_joint(joint: str, dx: float) -> Callable[[dict], str]:
    def draw(j: dict) -> str:
        return rect(j[joint][0] + dx, 40, 6, FLOOR - 40)
    return draw


def hand_on(joint_a: str, joint_b: str, frac: float) -> Callable[[dict], str]:
    """A small accent mark where a hand rubs the muscle."""
    def draw(j: dict) -> str:
        a, b = j[joint_a], j[joint_b]
        cx = a[0] + (b[0] - a[0]) * frac
        cy = a[1] + (b[1] - a[1]) * frac
        return f'<ellipse cx="{cx:.1f}" cy="{cy:.1f}" rx="7" ry="4" fill="{INK}"/>'
    return draw


def arrow_between() -> str:
    x = PANEL + GAP / 2
    y = 100
    return (f'<path d="M {x - 8} {y - 9} L {x + 4} {y} L {x - 8} {y + 9}" fill="none" stroke="{PROP}" '
            f'stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/>')


# ---------- the pictures ----------

@dataclass
class Picture:
    name: str
    title: str
    start: Pose
    end: Pose
    folders: tuple[str, ...]


def svg(picture: Picture) -> str:
    width = PANEL * 2 + GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {PANEL}" width="{width * 2}" height="{PANEL * 2}">',
        f"<title>{picture.title}: start and end position</title>",
        f'<rect width="{width}" height="{PANEL}" fill="#ffffff"/>',
    ]
    for i, pose in enumerate((picture.start, picture.end)):
        x0 = i * (PANEL + GAP)
        j = pose.placed(x0)
        parts.append(f"<g>")
        if pose.floor:
            parts.append(line((x0 + 8, FLOOR), (x0 + PANEL - 8, FLOOR), PROP, 2))
        parts += [p(j) for p in pose.behind]
        parts += draw_figure(pose, j)
        parts += [p(j) for p in pose.over]
        parts.append("</g>")
    parts.append(arrow_between())
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


STAND = dict(near_leg=(0, 0, 90), far_leg=(0, 0, 90))
ARMS_DOWN = dict(near_arm=(8, 12), far_arm=(-6, 4))

def chair_beside(j: dict) -> str:
    """A chair behind the figure, its back within reach of the hand."""
    return chair(j["hip"][0] - j["origin"][0] - 44, -1, 128)(j)


ACT = ("activation",)
COOL = ("cool-down",)
STRETCH = ("stretch",)
WARM = ("warm-up",)
CRAMP = ("cramp",)


def walk(name: str, title: str, folders: tuple[str, ...], jog: bool = False, march: bool = False) -> Picture:
    start = Pose(torso=182, near_leg=(22, 5, 95), far_leg=(-16, -28, 60), near_arm=(-22, -5), far_arm=(22, 50))
    if jog:
        end = Pose(torso=172, near_leg=(-22, -60, 20), far_leg=(45, -10, 80), near_arm=(30, 110), far_arm=(-35, 60),
                   lift=8)
    elif march:
        end = Pose(torso=180, near_leg=(80, -5, 85), far_leg=(0, 0, 90), near_arm=(-20, 40), far_arm=(25, 70))
    else:
        end = Pose(torso=182, near_leg=(-16, -28, 60), far_leg=(22, 5, 95), near_arm=(22, 50), far_arm=(-22, -5))
    return Picture(name, title, start, end, folders)


PICTURES: list[Picture] = [
    # ----- activation -----
    Picture(
        "quad-set", "Quad set",
        Pose(torso=-150, near_leg=(103, 77, 170), far_leg=(90, 90, 175), near_arm=(-25, -25), far_arm=(-35, -35),
             head=-160, accent=("near_thigh",), behind=[towel_under("near_knee"), mat]),
        Pose(torso=-150, near_leg=(97, 86, 168), far_leg=(90, 90, 175), near_arm=(-25, -25), far_arm=(-35, -35),
             head=-160, accent=("near_thigh",), behind=[towel_under("near_knee"), mat]),
        ACT,
    ),
    Picture(
        "terminal-knee-extension", "Terminal knee extension with a band",
        Pose(torso=178, near_leg=(12, -12, 85), far_leg=(-6, -6, 88), near_arm=(5, 40), far_arm=(-5, 30),
             accent=("near_thigh",), over=[band(178, "near_knee")], shift=-22),
        Pose(torso=180, near_leg=(0, 0, 90), far_leg=(-6, -6, 88), near_arm=(5, 40), far_arm=(-5, 30),
             accent=("near_thigh",), over=[band(178, "near_knee")], shift=-22),
        ACT,
    ),
    Picture(
        "straight-leg-raise", "Straight-leg raise",
        Pose(torso=-90, near_leg=(90, 90, 180), far_leg=(138, 40, 90), near_arm=(90, 90), far_arm=(80, 80),
             head=-92, accent=("near_thigh",), behind=[mat]),
        Pose(torso=-90, near_leg=(122, 122, 212), far_leg=(140, 40, 90), near_arm=(90, 90), far_arm=(80, 80),
             head=-92, accent=("near_thigh",), behind=[mat]),
        ACT,
    ),
    Picture(
        "partial-squat", "Partial squat",
        Pose(torso=180, **STAND, near_arm=(30, 70), far_arm=(25, 65), accent=("near_thigh", "far_thigh"),
             behind=[chair(70, 1, 128)], shift=10),
        Pose(torso=158, near_leg=(50, -15, 90), far_leg=(50, -15, 90), near_arm=(75, 85), far_arm=(70, 80),
             accent=("near_thigh", "far_thigh"), behind=[chair(70, 1, 128)], shift=10),
        ACT,
    ),
    Picture(
        "squat", "Squat",
        Pose(torso=180, **STAND, near_arm=(20, 60), far_arm=(15, 55), accent=("near_thigh", "far_thigh")),
        Pose(torso=152, near_leg=(64, -22, 90), far_leg=(64, -22, 90), near_arm=(80, 90), far_arm=(75, 85),
             accent=("near_thigh", "far_thigh")),
        ACT + WARM,
    ),
    Picture(
        "split-stance-lunge", "Split-stance lunge, short range",
        Pose(torso=180, near_leg=(22, 22, 90), far_leg=(-20, -20, 55), near_arm=(10, 20), far_arm=(-5, 5),
             accent=("near_thigh",)),
        Pose(torso=180, near_leg=(52, 2, 90), far_leg=(-12, -58, 35), near_arm=(10, 20), far_arm=(-5, 5),
             accent=("near_thigh",)),
        ACT,
    ),
    Picture(
        "forward-lunge", "Forward lunge",
        Pose(torso=180, **STAND, near_arm=(5, 10), far_arm=(-5, 0), accent=("near_thigh",), shift=-25),
        Pose(torso=180, near_leg=(80, 0, 90), far_leg=(-20, -90, 30), near_arm=(5, 10), far_arm=(-5, 0),
             accent=("near_thigh",), shift=5),
        ACT + WARM,
    ),
    Picture(
        "side-lying-hip-abduction", "Side-lying hip abduction",
        Pose(torso=-90, near_leg=(92, 92, 92), far_leg=(96, 66), near_arm=(100, 95), far_arm=(-95, -95),
             front=True, shoulder_half=3, accent=("near_thigh", "near_shin"), behind=[mat], far_leg_scale=0.75),
        Pose(torso=-90, near_leg=(120, 120, 120), far_leg=(96, 66), near_arm=(100, 95), far_arm=(-95, -95),
             front=True, shoulder_half=3, accent=("near_thigh", "near_shin"), behind=[mat], far_leg_scale=0.75),
        ACT,
    ),
    # ----- cool-down and stretches -----
    walk("walk", "Easy walk", COOL + CRAMP),
    walk("march", "Easy movement to warm up", STRETCH, march=True),
    Picture(
        "standing-calf-stretch", "Standing calf stretch",
        Pose(torso=176, near_leg=(-16, -16, 90), far_leg=(14, -14, 90), near_arm=(118, 100), far_arm=(112, 96),
             accent=("near_shin",), behind=[wall_at(152)], shift=-14),
        Pose(torso=162, near_leg=(-30, -30, 90), far_leg=(35, -20, 90), near_arm=(128, 108), far_arm=(122, 104),
             accent=("near_shin",), behind=[wall_at(152)], shift=-4),
        COOL + CRAMP,
    ),
    Picture(
        "standing-quad-stretch", "Standing quad stretch",
        Pose(torso=180, **STAND, near_arm=(5, 10), far_arm=(90, 90), accent=("near_thigh",),
             behind=[wall_at(150)]),
        Pose(torso=180, near_leg=(-10, -155, -110), far_leg=(0, 0, 90), near_arm=(1, 0), far_arm=(90, 90),
             near_hand=("near_ankle", "near_ankle", 0, 0),
             accent=("near_thigh",), behind=[wall_at(150)]),
        COOL + STRETCH + CRAMP,
    ),
    Picture(
        "hamstring-stretch-step", "Hamstring stretch with the heel on a step",
        Pose(torso=180, near_leg=(45, 45, 150), far_leg=(0, 0, 90), near_arm=(15, 30), far_arm=(10, 25),
             accent=("near_thigh",), behind=[step_under("near_ankle")], shift=-12),
        Pose(torso=135, near_leg=(45, 45, 150), far_leg=(8, 0, 90), near_arm=(70, 60), far_arm=(65, 55),
             head=125, accent=("near_thigh",), behind=[step_under("near_ankle")], shift=-12),
        COOL,
    ),
    Picture(
        "half-kneeling-hip-flexor-stretch", "Half-kneeling hip-flexor stretch",
        Pose(torso=180, near_leg=(0, -90, -95), far_leg=(88, 0, 90), near_arm=(10, 30), far_arm=(5, 25),
             accent=("near_thigh",), behind=[lambda j: rect(j["near_knee"][0] - 12, FLOOR - 4, 24, 4, rx=2)], shift=-8),
        Pose(torso=182, near_leg=(-22, -90, -95), far_leg=(72, -14, 90), near_arm=(10, 30), far_arm=(5, 25),
             accent=("near_thigh",), behind=[lambda j: rect(j["near_knee"][0] - 12, FLOOR - 4, 24, 4, rx=2)], shift=2),
        COOL,
    ),
    Picture(
        "butterfly", "Inner-thigh stretch (butterfly), from the front",
        Pose(torso=180, near_leg=(115, -62), far_leg=(-115, 62), near_arm=(-1, 0), far_arm=(1, 0),
             near_hand=("near_ankle", "near_ankle", 0, 3), far_hand=("far_ankle", "far_ankle", 0, -3),
             front=True, accent=("near_thigh", "far_thigh"), behind=[mat]),
        Pose(torso=180, near_leg=(105, -73), far_leg=(-105, 73), near_arm=(-1, 0), far_arm=(1, 0),
             near_hand=("near_ankle", "near_ankle", 0, 3), far_hand=("far_ankle", "far_ankle", 0, -3),
             front=True, accent=("near_thigh", "far_thigh"), behind=[mat], lean=0.82),
        COOL + STRETCH,
    ),
    Picture(
        "seated-forward-lean-floor", "Seated forward lean from the hips",
        Pose(torso=178, near_leg=(90, 90, 175), far_leg=(97, -80), near_arm=(30, 60), far_arm=(20, 50),
             accent=("near_thigh",), behind=[mat]),
        Pose(torso=140, near_leg=(90, 90, 175), far_leg=(97, -80), near_arm=(85, 85), far_arm=(80, 80),
             head=130, accent=("near_thigh",), behind=[mat]),
        STRETCH + CRAMP,
    ),
    Picture(
        "seated-forward-lean-chair", "Seated forward lean from the hips, on a chair",
        Pose(torso=180, near_leg=(70, 55, 150), far_leg=(90, 0, 90), near_arm=(20, 60), far_arm=(15, 55),
             accent=("near_thigh",), behind=[chair_under("hip")], shift=-15),
        Pose(torso=140, near_leg=(70, 55, 150), far_leg=(90, 0, 90), near_arm=(70, 70), far_arm=(65, 65),
             head=130, accent=("near_thigh",), behind=[chair_under("hip")], shift=-15),
        STRETCH,
    ),
    Picture(
        "seated-inner-thigh-stretch-chair", "Seated inner-thigh stretch on a chair, from the front",
        Pose(torso=180, near_leg=(58, 5, 60), far_leg=(-58, -5, -60), near_arm=(25, 30), far_arm=(-25, -30),
             front=True, accent=("near_thigh", "far_thigh"), behind=[chair_front("hip")]),
        Pose(torso=180, near_leg=(68, 5, 60), far_leg=(-68, -5, -60), near_arm=(30, 25), far_arm=(-30, -25),
             front=True, accent=("near_thigh", "far_thigh"), behind=[chair_front("hip")], lean=0.88),
        STRETCH,
    ),
    Picture(
        "inner-thigh-foam-rolling", "Inner-thigh foam rolling, lying face down, seen from above",
        Pose(torso=180, near_leg=(85, 0), far_leg=(-4, 0), near_arm=(172, 180), far_arm=(-172, 180),
             front=True, accent=("near_thigh",), behind=[mat_from_above, roller_at("near_hip", 0.8, "near_knee")],
             floor=False, hip=(92, 112)),
        Pose(torso=180, near_leg=(85, 0), far_leg=(-4, 0), near_arm=(172, 180), far_arm=(-172, 180),
             front=True, accent=("near_thigh",), behind=[mat_from_above, roller_at("near_hip", 0.45, "near_knee")],
             floor=False, hip=(92, 112)),
        STRETCH,
    ),
    Picture(
        "inner-thigh-rolling-stick", "Inner-thigh rolling with a roller stick, on a chair",
        Pose(torso=180, near_leg=(42, 0), far_leg=(-30, -3), near_arm=(1, 0), far_arm=(-1, 0), lean=0.62,
             near_hand=("near_hip", "near_knee", 0.85, 15), far_hand=("near_hip", "near_knee", 0.85, -15),
             front=True, accent=("near_thigh",), behind=[chair_front("hip")], over=[stick_between]),
        Pose(torso=180, near_leg=(42, 0), far_leg=(-30, -3), near_arm=(1, 0), far_arm=(-1, 0), lean=0.7,
             near_hand=("near_hip", "near_knee", 0.45, 15), far_hand=("near_hip", "near_knee", 0.45, -15),
             front=True, accent=("near_thigh",), behind=[chair_front("hip")], over=[stick_between]),
        STRETCH,
    ),
    # ----- warm-up -----
    walk("walk-into-jog", "Brisk walk into an easy jog", WARM, jog=True),
    Picture(
        "leg-swings-front-back", "Leg swings, front to back",
        Pose(torso=180, near_leg=(40, 30, 110), far_leg=(0, 0, 90), near_arm=(10, 5), far_arm=(-60, -90),
             accent=("near_thigh", "near_shin"), behind=[post_at_joint("hip", -32)]),
        Pose(torso=182, near_leg=(-28, -34, 50), far_leg=(0, 0, 90), near_arm=(10, 5), far_arm=(-60, -90),
             accent=("near_thigh", "near_shin"), behind=[post_at_joint("hip", -32)]),
        WARM,
    ),
    Picture(
        "leg-swings-across", "Leg swings across the body, seen from behind",
        Pose(torso=180, near_leg=(-28, -24, -90), far_leg=(0, 0, -90), near_arm=(100, 150), far_arm=(-100, -150),
             front=True, accent=("near_thigh", "near_shin"), behind=[backdrop]),
        Pose(torso=182, near_leg=(40, 36, 90), far_leg=(0, 0, -90), near_arm=(100, 150), far_arm=(-100, -150),
             front=True, accent=("near_thigh", "near_shin"), behind=[backdrop]),
        WARM,
    ),
    Picture(
        "torso-twists", "Standing torso twists, from the front",
        Pose(torso=180, near_leg=(6, -2, 90), far_leg=(-6, 2, -90), near_arm=(-75, -100), far_arm=(-45, -75),
             front=True, shoulder_half=7, accent=("torso",)),
        Pose(torso=180, near_leg=(6, -2, 90), far_leg=(-6, 2, -90), near_arm=(45, 75), far_arm=(75, 100),
             front=True, shoulder_half=7, accent=("torso",)),
        WARM,
    ),
    Picture(
        "high-knees", "High knees",
        Pose(torso=182, near_leg=(95, 5, 80), far_leg=(-5, -15, 70), near_arm=(-30, 60), far_arm=(40, 120),
             accent=("near_thigh", "far_thigh"), lift=4),
        Pose(torso=182, near_leg=(-5, -15, 70), far_leg=(95, 5, 80), near_arm=(40, 120), far_arm=(-30, 60),
             accent=("near_thigh", "far_thigh"), lift=4),
        WARM,
    ),
    Picture(
        "butt-kicks", "Butt kicks",
        Pose(torso=184, near_leg=(-5, -165, -100), far_leg=(8, 0, 85), near_arm=(-25, 60), far_arm=(30, 110),
             accent=("near_shin", "far_shin"), lift=4),
        Pose(torso=184, near_leg=(8, 0, 85), far_leg=(-5, -165, -100), near_arm=(30, 110), far_arm=(-25, 60),
             accent=("near_shin", "far_shin"), lift=4),
        WARM,
    ),
    # ----- cramp -----
    Picture(
        "calf-massage", "Gentle calf massage",
        Pose(torso=135, near_leg=(90, 90, 170), far_leg=(125, 53, 90), near_arm=(1, 0), far_arm=(1, 0),
             near_hand=("near_knee", "near_ankle", 0.2, 0), far_hand=("near_knee", "near_ankle", 0.2, 6),
             accent=("near_shin",), over=[hand_on("near_knee", "near_ankle", 0.2)]),
        Pose(torso=125, near_leg=(90, 90, 170), far_leg=(125, 53, 90), near_arm=(1, 0), far_arm=(1, 0),
             near_hand=("near_knee", "near_ankle", 0.5, 0), far_hand=("near_knee", "near_ankle", 0.5, 6),
             accent=("near_shin",), over=[hand_on("near_knee", "near_ankle", 0.5)]),
        CRAMP,
    ),
    Picture(
        "hamstring-massage", "Gentle back-of-thigh massage",
        Pose(torso=165, near_leg=(90, 90, 170), far_leg=(125, 53, 90), near_arm=(1, 0), far_arm=(1, 0),
             near_hand=("near_hip", "near_knee", 0.5, 0), far_hand=("near_hip", "near_knee", 0.5, 6),
             accent=("near_thigh",), over=[hand_on("near_hip", "near_knee", 0.5)]),
        Pose(torso=150, near_leg=(90, 90, 170), far_leg=(125, 53, 90), near_arm=(1, 0), far_arm=(1, 0),
             near_hand=("near_hip", "near_knee", 0.85, 0), far_hand=("near_hip", "near_knee", 0.85, 6),
             accent=("near_thigh",), over=[hand_on("near_hip", "near_knee", 0.85)]),
        CRAMP,
    ),
    Picture(
        "quad-massage", "Gentle front-of-thigh massage",
        Pose(torso=170, near_leg=(90, 90, 170), far_leg=(125, 53, 90), near_arm=(1, 0), far_arm=(1, 0),
             near_hand=("near_hip", "near_knee", 0.4, 0), far_hand=("near_hip", "near_knee", 0.4, 6),
             accent=("near_thigh",), over=[hand_on("near_hip", "near_knee", 0.4)]),
        Pose(torso=155, near_leg=(90, 90, 170), far_leg=(125, 53, 90), near_arm=(1, 0), far_arm=(1, 0),
             near_hand=("near_hip", "near_knee", 0.8, 0), far_hand=("near_hip", "near_knee", 0.8, 6),
             accent=("near_thigh",), over=[hand_on("near_hip", "near_knee", 0.8)]),
        CRAMP,
    ),
    Picture(
        "rest-and-sip", "Rest and sip",
        Pose(torso=178, near_leg=(125, 53, 90), far_leg=(118, 60, 90), near_arm=(20, 80), far_arm=(15, 75),
             over=[bottle_in("near_hand")]),
        Pose(torso=178, near_leg=(125, 53, 90), far_leg=(118, 60, 90), near_arm=(40, 170), far_arm=(15, 75),
             head=172, over=[bottle_in("near_hand")]),
        CRAMP,
    ),
]


README = """# Exercise pictures

Line drawings of this folder's exercises: each shows the start position on the left and
the end position on the right, the working leg or muscle in orange. A routine names its
picture with `image: pictures/NAME.svg` (the path is relative to the routine's folder).

They are drawn by `tools/draw_pictures.py` from one stick figure and one style: change a
pose there and run `python tools/draw_pictures.py`, never edit an SVG by hand (the tests
check that the files match the script). `python tools/draw_pictures.py --png DIR` renders
them to PNG to look at.

The pictures are part of vmo and are licensed with it, under the MIT licence.
"""


def write(check: bool, png: Path | None) -> int:
    changed = 0
    for folder in sorted({f for p in PICTURES for f in p.folders}):
        target = ROUTINES / folder / "pictures" / "README.md"
        if not target.exists() or target.read_text(encoding="utf-8") != README:
            changed += 1
            if check:
                print(f"{target.relative_to(REPO)}: differs from tools/draw_pictures.py", file=sys.stderr)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(README, encoding="utf-8")
    for picture in PICTURES:
        text = svg(picture)
        for folder in picture.folders:
            target = ROUTINES / folder / "pictures" / f"{picture.name}.svg"
            old = target.read_text(encoding="utf-8") if target.exists() else None
            if old != text:
                changed += 1
                if check:
                    print(f"{target.relative_to(REPO)}: differs from tools/draw_pictures.py", file=sys.stderr)
                else:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_text(text, encoding="utf-8")
        if png is not None:
            import resvg_py

            png.mkdir(parents=True, exist_ok=True)
            data = resvg_py.svg_to_bytes(svg_string=text, skip_system_fonts=True)
            (png / f"{picture.name}.png").write_bytes(bytes(data))
    return 1 if (check and changed) else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare with the files in the repository")
    parser.add_argument("--png", type=Path, help="also render each picture to this folder")
    args = parser.parse_args(argv)
    return write(args.check, args.png)


if __name__ == "__main__":
    raise SystemExit(main())
