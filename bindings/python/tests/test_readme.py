"""The README's Python examples are doctests: they print exactly what the code prints."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

import loansyncro.finance

README = Path(__file__).resolve().parents[1] / "README.md"
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def test_readme_examples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    pytest.importorskip("polars")
    monkeypatch.chdir(tmp_path)  # the examples write schedule.csv
    result = doctest.testfile(str(README), module_relative=False, optionflags=FLAGS, verbose=False)
    assert result.attempted > 40
    assert result.failed == 0
    assert (tmp_path / "schedule.csv").read_text(encoding="utf-8").startswith("number,due_date,")


def test_finance_module_docstring_examples() -> None:
    result = doctest.testmod(loansyncro.finance, optionflags=FLAGS, verbose=False)
    assert result.attempted >= 5
    assert result.failed == 0


def test_readme_has_no_untested_python_blocks() -> None:
    text = README.read_text(encoding="utf-8")
    assert "```python" not in text, "write Python examples as ```pycon doctests"
