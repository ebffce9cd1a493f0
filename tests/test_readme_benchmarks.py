"""The README's benchmark table is the one the benchmarks recorded (bench/results.py): no figure typed by hand."""

from __future__ import annotations

from bench.results import README, load, rendered_readme


def test_the_readme_benchmark_table_is_generated_from_the_recorded_figures() -> None:
    text = README.read_text(encoding="utf-8")
    figures = load()
    assert figures, "bench/results.json holds no figures"
    assert rendered_readme(text, figures) == text, "run .venv/bin/python bench/results.py"


def test_every_recorded_figure_says_how_it_was_measured() -> None:
    for key, figure in load().items():
        assert figure.command.startswith(".venv/bin/python bench/"), key
        low, median, high = figure.ratios
        assert 0 < low <= median <= high, key
        assert "://" not in figure.command, key  # database URLs are replaced by URL
