"""The Lambda zips of deploy/build-lambdas.sh: a `bootstrap` ELF executable for the right CPU.

Checked when the zips exist; scripts/suites/60-deploy.sh builds them first and sets
LOANSYNCRO_REQUIRE_ZIPS=1 (with LAMBDA_BINARIES naming the binaries it built), so there the
zips must be present.
"""

from __future__ import annotations

import os
import stat
import struct
import zipfile
from pathlib import Path

import pytest

DIST = Path(__file__).resolve().parents[1] / "dist"
ELF_MACHINE = {"arm64": 183, "x86_64": 62}  # EM_AARCH64, EM_X86_64
MAX_ZIP_BYTES = 50 * 1024 * 1024  # Lambda's limit for a direct zip upload


def expected() -> list[tuple[str, str]]:
    binaries = os.environ.get("LAMBDA_BINARIES", "loans repayments recurring").split()
    return [("arm64", b) for b in binaries]


@pytest.mark.parametrize("arch,binary", expected())
def test_zip_holds_a_bootstrap_for_the_architecture(arch, binary):
    zip_path = DIST / arch / binary / "bootstrap.zip"
    if not zip_path.exists():
        if os.environ.get("LOANSYNCRO_REQUIRE_ZIPS") == "1":
            pytest.fail(f"{zip_path} was not built")
        pytest.skip(f"{zip_path} not built (run deploy/build-lambdas.sh)")
    assert zip_path.stat().st_size < MAX_ZIP_BYTES
    with zipfile.ZipFile(zip_path) as z:
        names = z.namelist()
        assert "bootstrap" in names, names
        info = z.getinfo("bootstrap")
        mode = info.external_attr >> 16
        assert mode & stat.S_IXUSR, f"bootstrap is not executable (mode {oct(mode)})"
        head = z.read("bootstrap")[:20]
    assert head[:4] == b"\x7fELF", "bootstrap is not an ELF binary"
    machine = struct.unpack("<H", head[18:20])[0]
    assert machine == ELF_MACHINE[arch], f"bootstrap is for ELF machine {machine}, not {arch}"
