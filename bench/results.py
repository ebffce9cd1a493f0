"""The README's benchmark table, generated from what the benchmarks printed — never edited by hand.

Every bench script records each figure it prints with :func:`record` in ``bench/results.json`` (the command as run,
the date, arvio's and the baseline's figures, min / median / max of the ratio over the interleaved rounds, the target
and whether the median meets it). Then

    .venv/bin/python bench/results.py            # rewrite the table between the README's markers
    .venv/bin/python bench/results.py --check    # exit 1 when the README's table is not the recorded one

tests/test_readme_benchmarks.py runs the check, so a figure typed into the README fails the suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
README = ROOT / "README.md"
BEGIN = "<!-- benchmark table: written by bench/results.py from bench/results.json; do not edit by hand -->"
END = "<!-- end of benchmark table -->"
_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+", re.I)


@dataclass(frozen=True)
class Figure:
    """One row of the table."""

    order: int
    what: str
    command: str
    measured: str
    arvio: str
    baseline: str
    ratios: tuple[float, float, float]
    unit: str
    target: str
    met: bool
    note: str = ""


def spread(values: list[float]) -> tuple[float, float, float]:
    """min / median / max."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return ordered[0], median, ordered[-1]


def command_line() -> str:
    """This process's command as a reader would type it, database URLs replaced by ``URL``."""
    script = Path(sys.argv[0]).resolve()
    shown = script.relative_to(ROOT) if script.is_relative_to(ROOT) else script.name
    words = [".venv/bin/python", str(shown), *(_URL.sub("URL", word) for word in sys.argv[1:])]
    return " ".join(words)


def record(key: str, *, order: int, what: str, arvio: str, baseline: str, ratios: list[float], unit: str,
           target: str, met: bool, note: str = "") -> None:
    """Keep one figure under ``key`` in bench/results.json (replacing its previous measurement)."""
    low, median, high = spread(ratios)
    figure = Figure(order, what, command_line(), dt.date.today().isoformat(), arvio, baseline,
                    (round(low, 3), round(median, 3), round(high, 3)), unit, target, met, note)
    figures = load()
    figures[key] = figure
    RESULTS.write_bytes(orjson.dumps({k: asdict(v) for k, v in sorted(figures.items())},
                                     option=orjson.OPT_INDENT_2) + b"\n")


def load() -> dict[str, Figure]:
    """The recorded figures by key."""
    if not RESULTS.exists():
        return {}
    raw: dict[str, dict[str, Any]] = orjson.loads(RESULTS.read_bytes())
    return {key: Figure(**{**value, "ratios": tuple(value["ratios"])}) for key, value in raw.items()}


def table(figures: dict[str, Figure]) -> str:
    """The markdown table of ``figures`` in their order."""
    lines = ["| what | command (measured) | arvio | baseline | ratio min / median / max | target | met |",
             "|---|---|---|---|---|---|---|"]
    for figure in sorted(figures.values(), key=lambda f: f.order):
        low, median, high = figure.ratios
        ratio = f"**{low:.3f} / {median:.3f} / {high:.3f}**{' ' + figure.unit if figure.unit else ''}"
        if figure.note:
            ratio += f" ({figure.note})"
        lines.append(f"| {figure.what} | `{figure.command}` ({figure.measured}) | {figure.arvio} | {figure.baseline} "
                     f"| {ratio} | {figure.target} | {'yes' if figure.met else '**no**'} |")
    return "\n".join(lines)


def rendered_readme(text: str, figures: dict[str, Figure]) -> str:
    """``text`` (the README) with the table between the markers replaced by the recorded one."""
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[:start] + "\n" + table(figures) + "\n" + text[end:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the README's table is not the recorded one")
    args = parser.parse_args()
    text = README.read_text(encoding="utf-8")
    wanted = rendered_readme(text, load())
    if args.check:
        if wanted != text:
            print("README.md's benchmark table differs from bench/results.json: run .venv/bin/python bench/results.py")
            return 1
        return 0
    README.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
