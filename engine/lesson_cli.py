"""``python -m engine lesson``: list the lessons, or run one and print its verdict.

Exit status: 0 when the verdict passed, 1 when it did not, 2 for an unknown lesson, a bad
``--set`` or a bad lesson file (one ``error: ...`` line on stderr).
"""

from __future__ import annotations

import argparse
import json
import math

from .lessons import SETTINGS, LessonError, lesson, lessons, read_setting, run_lesson
from .lessons.figures import shown

EXIT_PASSED, EXIT_NOT_YET = 0, 1

EPILOG = """\
exit status: 0 when the verdict passed, 1 when it did not, 2 for a bad argument or lesson file.

settings for --set (named as in the playground's share links; applied to every run):
{settings}

examples:
  python -m engine lesson --list
  python -m engine lesson xor
  python -m engine lesson xor --set hidden= --json       # what if there were no hidden layer?
  python -m engine lesson learning_rate --set lr=0.1 --set epochs=200
"""


def add_command(commands) -> None:
    """The ``lesson`` subcommand, on the CLI's subparsers ``commands``."""
    listed = "\n".join(f"  {name:<13} {setting.help}" for name, setting in SETTINGS.items())
    parser = commands.add_parser(
        "lesson", help="run a prepared experiment and check its verdict",
        description="Run a lesson: train each of its runs from its settings and check the verdict on the\n"
                    "trained networks.",
        epilog=EPILOG.format(settings=listed), formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("name", nargs="?", metavar="NAME", help="the lesson (see --list)")
    parser.add_argument("--list", action="store_true", help="print each lesson's name and title, one per line")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", dest="overrides",
                        help="change a setting of every run (repeatable); the verdict is measured on that run")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object: lesson, passed, measured, expected")


def overrides(pairs: list[str]) -> dict:
    """``["lr=0.1", "hidden=4,4"]`` -> the settings they give, read like a lesson file's."""
    out = {}
    for pair in pairs:
        name, equals, text = pair.partition("=")
        if not equals:
            raise LessonError(f"--set {pair!r}: write NAME=VALUE, like lr=0.1")
        try:
            out[name.strip()] = read_setting(name.strip(), text)
        except ValueError as error:
            raise LessonError(f"--set {pair}: {error}") from None
    return out


def _json_value(value):
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def run(args) -> int:
    if args.list:
        for name, found in lessons().items():
            print(f"{name:<16} {found.title}")
        return EXIT_PASSED
    if not args.name:
        raise LessonError("give a lesson's NAME, or --list to see them")
    chosen = lesson(args.name)
    if args.overrides:
        chosen = chosen.with_settings(overrides(args.overrides))
    result = run_lesson(chosen)
    verdict = result.verdict
    if args.json:
        out = verdict.as_dict()
        out["measured"] = {key: _json_value(value) for key, value in out["measured"].items()}
        print(json.dumps(out))
    else:
        print(f"{chosen.title}\n")
        for name, trained in result.results.items():
            final = trained.final
            stopped = f", diverged at epoch {trained.diverged.epoch}" if trained.diverged else ""
            test = "" if final["test_accuracy"] is None else f", test accuracy {shown(final['test_accuracy'])}"
            print(f"  {name}: {len(trained.history)} epochs{stopped}, train loss {shown(final['train_loss'])}, "
                  f"train accuracy {shown(final['train_accuracy'])}{test}")
        print(f"\n{verdict.text}")
    return EXIT_PASSED if verdict.passed else EXIT_NOT_YET
