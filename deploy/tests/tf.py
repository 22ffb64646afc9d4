"""Loading deploy/terraform with python-hcl2 (8.x keeps quotes on strings: normalised here)."""

from __future__ import annotations

import re
from pathlib import Path

import hcl2

TERRAFORM = Path(__file__).resolve().parents[1] / "terraform"


def _unquote(value):
    if isinstance(value, str):
        if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
            return value[1:-1].replace('\\"', '"')
        return value
    if isinstance(value, list):
        return [_unquote(v) for v in value]
    if isinstance(value, dict):
        return {
            _unquote(k): _unquote(v)
            for k, v in value.items()
            if k not in ("__is_block__", "__comments__", "__inline_comments__", "__start_line__", "__end_line__")
        }
    return value


def load(path: Path) -> dict:
    with open(path) as f:
        return _unquote(hcl2.load(f))


def tf_files() -> list[Path]:
    return sorted(TERRAFORM.glob("*.tf"))


class Config:
    """All .tf files of deploy/terraform merged: resources, data sources, locals, variables."""

    def __init__(self, directory: Path = TERRAFORM):
        self.resources: dict[tuple[str, str], dict] = {}
        self.data: dict[tuple[str, str], dict] = {}
        self.locals: dict[str, object] = {}
        self.variables: dict[str, dict] = {}
        self.outputs: dict[str, dict] = {}
        for p in sorted(directory.glob("*.tf")):
            doc = load(p)
            for block in doc.get("resource", []):
                for rtype, named in block.items():
                    for name, body in named.items():
                        self.resources[(rtype, name)] = body
            for block in doc.get("data", []):
                for dtype, named in block.items():
                    for name, body in named.items():
                        self.data[(dtype, name)] = body
            for block in doc.get("locals", []):
                self.locals.update(block)
            for block in doc.get("variable", []):
                self.variables.update(block)
            for block in doc.get("output", []):
                self.outputs.update(block)

    def resource(self, rtype: str, name: str) -> dict:
        assert (rtype, name) in self.resources, f"resource {rtype}.{name} is not defined"
        return self.resources[(rtype, name)]

    def of_type(self, rtype: str) -> dict[str, dict]:
        return {n: b for (t, n), b in self.resources.items() if t == rtype}

    def local(self, expr: str):
        """The value of `${local.name}` (only a bare reference is resolved)."""
        m = re.fullmatch(r"\$\{local\.(\w+)\}", expr.strip()) if isinstance(expr, str) else None
        assert m, f"expected a bare ${{local.x}} reference, got {expr!r}"
        assert m.group(1) in self.locals, f"local.{m.group(1)} is not defined"
        return self.locals[m.group(1)]

    def resolve_list(self, value) -> list:
        if isinstance(value, list):
            return value
        return self.resolve_list(self.local(value))
