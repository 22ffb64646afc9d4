from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
VECTORS = Path(os.environ.get("LOANSYNCRO_VECTORS", ROOT / "loansyncro-core" / "tests" / "data" / "vectors"))


def load(name: str) -> Any:
    with open(VECTORS / name, encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT
