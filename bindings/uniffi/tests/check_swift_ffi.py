"""Checks the generated Swift package's C side against the native library, without Swift.

    python3 bindings/uniffi/tests/check_swift_ffi.py path/to/libloansyncro_ffi.so

There is no Swift compiler on the CI machine, so `LoanSyncro.swift` itself is not compiled here.
What can be checked without it is everything the Swift file relies on below Swift:
* the module map exports the C module `loansyncroFFI` from `loansyncroFFI.h`, which the Swift
  file imports;
* every C function the Swift file calls is declared in the header, and every function the header
  declares is exported by the library;
* the header compiles as C (gcc, with clang's nullability qualifiers defined away) and a C
  program built from it and linked against the library passes the same start-up check as the
  Swift bindings: the library's uniffi contract version and each API checksum equal the values
  written into `LoanSyncro.swift` (a mismatch there is what makes the Swift bindings refuse to
  load).
Prints "N passed, 0 failed" or the failures and exits 1.
"""

import re
import subprocess
import sys
import tempfile
from pathlib import Path

SWIFT_DIR = Path(__file__).resolve().parent.parent / "generated" / "swift"
FUNCTION = r"(?:uniffi|ffi)_loansyncro_ffi_\w+"

checks = []


def check(ok, what):
    checks.append((bool(ok), what))
    if not ok:
        print(f"FAILED: {what}")


def exported(library):
    out = subprocess.run(["readelf", "-W", "--dyn-syms", library], check=True, capture_output=True, text=True).stdout
    return {f[7].split("@")[0] for f in (line.split() for line in out.splitlines())
            if len(f) >= 8 and f[3] == "FUNC" and f[6] != "UND"}


def main(library):
    swift = (SWIFT_DIR / "LoanSyncro.swift").read_text()
    header = (SWIFT_DIR / "loansyncroFFI.h").read_text()
    modulemap = (SWIFT_DIR / "loansyncroFFI.modulemap").read_text()

    check(re.search(r'module loansyncroFFI \{\s*header "loansyncroFFI.h"', modulemap), "module map: loansyncroFFI from loansyncroFFI.h")
    check("import loansyncroFFI" in swift, "LoanSyncro.swift imports loansyncroFFI")
    called = set(re.findall(r"\b(" + FUNCTION + r")\(", swift))
    declared = set(re.findall(r"^[A-Za-z].*?\b(" + FUNCTION + r")\(", header, re.M))
    check(len(called) > 50, f"the Swift file calls the library ({len(called)} functions)")
    check(called <= declared, f"every function Swift calls is in the header (missing: {sorted(called - declared)[:3]})")
    missing = declared - exported(library)
    check(not missing, f"every function the header declares is exported (missing: {sorted(missing)[:3]})")

    contract = re.search(r"let bindings_contract_version = (\d+)", swift).group(1)
    checksums = re.findall(r"if \((uniffi_loansyncro_ffi_checksum_\w+)\(\) != (\d+)\)", swift)
    check(len(checksums) > 50, f"the Swift file checks the API checksums ({len(checksums)})")
    lines = ['#include "loansyncroFFI.h"', "#include <stdio.h>", "int main(void) {", "    int failed = 0;"]
    lines.append(f"    if (ffi_loansyncro_ffi_uniffi_contract_version() != {contract}) "
                 f'{{ printf("FAILED: contract version\\n"); failed++; }}')
    for function, value in checksums:
        lines.append(f'    if ({function}() != {value}) {{ printf("FAILED: {function}\\n"); failed++; }}')
    lines += [f'    printf("C start-up check: %d passed, %d failed\\n", {len(checksums) + 1} - failed, failed);',
              "    return failed != 0;", "}"]
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "check.c"
        source.write_text("\n".join(lines) + "\n")
        lib = Path(library).resolve()
        built = subprocess.run(
            ["gcc", "-std=c11", "-Wall", "-Werror", "-Wno-pragma-once-outside-header", "-D_Nonnull=", "-D_Nullable=",
             "-I", str(SWIFT_DIR), str(source), "-o", str(Path(tmp) / "check"),
             f"-L{lib.parent}", "-l:" + lib.name, f"-Wl,-rpath,{lib.parent}"],
            capture_output=True, text=True,
        )
        check(built.returncode == 0, f"the header compiles as C and links against the library\n{built.stderr}")
        if built.returncode == 0:
            ran = subprocess.run([str(Path(tmp) / "check")], capture_output=True, text=True)
            print(ran.stdout, end="")
            check(ran.returncode == 0, "contract version and every checksum match LoanSyncro.swift")

    failed = sum(1 for ok, _ in checks if not ok)
    print(f"Swift C side: {len(checks) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
