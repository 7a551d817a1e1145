"""Share links: the controls' values as short query parameters, and back.

Each control's name in a link is declared in settings.py (``Control.link``). A value equal to the
control's default is left out. ``hidden`` stands for the hidden layers and their sizes together
(``hidden=8,4``; empty: no hidden layer). Decoding never raises: a bad or unknown parameter
becomes a one-line notice naming it and what was used instead. Streamlit-free."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from . import settings
from .settings import Control

EXTRAS = ("lesson", "lock", "play")  # link parameters that are not controls
TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def _text(control: Control, value) -> str:
    if control.kind == "toggle":
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):  # several options (pills): comma-separated
        return ",".join(map(str, value))
    return str(value)


def encode(state: Mapping) -> dict[str, str]:
    """The link parameters of the current values, defaults left out, in table order."""
    values = settings.Values(state)
    ctx = values.context
    params = {}
    for control in settings.CONTROLS:
        if not control.link or control.part == "action":
            continue
        if control is settings.HIDDEN_LAYERS:
            hidden = settings.hidden_sizes(values)
            default = tuple(n.resolve("default", ctx) for n in settings.NEURONS[: control.default])
            if hidden != default:
                params[control.link] = ",".join(str(n) for n in hidden)
            continue
        value = values[control]
        if value != control.resolve("default", ctx):
            params[control.link] = _text(control, value)
    return params


@dataclass
class Decoded:
    updates: dict = field(default_factory=dict)  # widget key -> value, ready for session state
    notices: list[str] = field(default_factory=list)
    extras: dict[str, str] = field(default_factory=dict)  # lesson, lock, present, play


def _parse(control: Control, text: str, ctx: settings.Context):
    """The value ``text`` stands for, or None when it is not valid for ``control``."""
    if control.kind in ("select", "radio", "select_slider"):
        for option in control.resolve("options", ctx):
            if _text(control, option) == text or str(option) == text:
                return option
        return None
    if control.kind == "pills":
        chosen = text.split(",")
        valid = chosen != [""] and len(set(chosen)) == len(chosen)
        return control.coerce(chosen, ctx) if valid and set(chosen) <= set(control.resolve("options", ctx)) else None
    if control.kind == "toggle":
        lowered = text.lower()
        return True if lowered in TRUE else False if lowered in FALSE else None
    try:
        number = float(text)
    except ValueError:
        return None
    low, high = control.limits(ctx)
    if not math.isfinite(number) or not low <= number <= high:
        return None
    whole = control.kind == "state" or (control.step is not None and float(control.step).is_integer())
    if whole:
        return int(number) if number.is_integer() else None
    return number


def _hidden(text: str) -> list[int] | None:
    if text.strip() == "":
        return []
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        return None
    neurons = settings.NEURONS[0]
    low, high = neurons.low, neurons.high
    if len(sizes) > settings.MAX_LAYERS or any(not low <= n <= high for n in sizes):
        return None
    return sizes


def _shown(control: Control, value) -> str:
    return control.format(value) if control.format else _text(control, value)


def decode(params: Mapping) -> Decoded:
    """Query parameters -> the widget values they set, with a notice for each one that was refused."""
    by_link = {c.link: c for c in settings.CONTROLS if c.link}
    out = Decoded()
    flat = {name: (value[-1] if isinstance(value, (list, tuple)) else value) for name, value in params.items()}
    # the problem and the dataset decide the other controls' options: read them first
    first = {c.key: str(flat[c.link]) for c in (settings.PROBLEM, settings.DATASET) if c.link in flat}
    ctx = settings.Values(first).context
    if ctx.problem != settings.PROBLEM.default:  # a regression dataset named alone poses its problem
        out.updates[settings.PROBLEM.key] = ctx.problem
    for name, text in flat.items():
        text = str(text)
        if name in EXTRAS:
            out.extras[name] = text
            continue
        control = by_link.get(name)
        if control is None:
            out.notices.append(f"Link parameter '{name}' is not one this playground knows; it was ignored.")
            continue
        if control is settings.HIDDEN_LAYERS:
            sizes = _hidden(text)
            if sizes is None:
                out.notices.append(f"Link parameter 'hidden={text}' is not a list of up to {settings.MAX_LAYERS} "
                                   f"layer sizes 1..{settings.MAX_NEURONS}; the default network was used.")
                continue
            out.updates[control.key] = len(sizes)
            for neurons, size in zip(settings.NEURONS, sizes):
                out.updates[neurons.key] = size
            continue
        value = _parse(control, text, ctx)
        if value is None:
            default = control.resolve("default", ctx)
            out.notices.append(f"Link parameter '{name}={text}' is not a valid {control.resolve('label', ctx)!s}; "
                               f"used {_shown(control, default)} instead.")
            continue
        out.updates[control.key] = value
    return out
