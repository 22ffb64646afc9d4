"""Checks the layout of the Android library built by `scripts/package kotlin`.

    python3 bindings/uniffi/tests/check_aar.py dist/kotlin/loansyncro-<v>[-host-...].aar

It unzips the AAR and fails unless:
* the entries are an Android library's: AndroidManifest.xml, classes.jar, proguard.txt, R.txt,
  the AAR metadata and jni/<abi>/libloansyncro_ffi.so, nothing else;
* the manifest names the namespace and minSdk of android/build.gradle.kts;
* classes.jar holds the compiled bindings (a class for every class, object and interface the
  generated Kotlin declares at top level), as JVM 1.8 bytecode (D8 accepts it with any Android
  Gradle plugin), and neither JNA nor the Kotlin stdlib (the app takes them as dependencies:
  bundled copies would be duplicate classes);
* each jni/<abi>/ is a known Android ABI holding an ELF shared library of that ABI's machine and
  word size, and the library exports every native function the bindings call (so classes.jar and
  the libraries come from the same build);
* a host build (file name `-host-`) holds exactly the host's ABI, an NDK build every ABI of
  LOANSYNCRO_ANDROID_ABIS (default arm64-v8a armeabi-v7a x86_64).
Prints "N passed, 0 failed" or the failures and exits 1.
"""

import os
import re
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
UNIFFI = HERE.parent
GRADLE = (UNIFFI / "android" / "build.gradle.kts").read_text()
GENERATED = (UNIFFI / "generated" / "kotlin" / "uniffi" / "loansyncro" / "loansyncro.kt").read_text()
ANDROID = "{http://schemas.android.com/apk/res/android}"
# Android ABI -> (ELF e_machine, ELF class: 1 = 32-bit, 2 = 64-bit)
ABIS = {"arm64-v8a": (183, 2), "armeabi-v7a": (40, 1), "x86_64": (62, 2), "x86": (3, 1)}
LIBRARY = "libloansyncro_ffi.so"
FIXED = {
    "AndroidManifest.xml",
    "classes.jar",
    "proguard.txt",
    "R.txt",
    "META-INF/com/android/build/gradle/aar-metadata.properties",
}

checks = []


def check(ok, what):
    checks.append((bool(ok), what))


def host_abi():
    machine = os.uname().machine
    return {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "arm64-v8a", "arm64": "arm64-v8a"}[machine]


def declared_types():
    """Top-level classes, objects and interfaces of the generated Kotlin (its public surface)."""
    pattern = re.compile(
        r"^(?:public |internal |private )?(?:open |abstract |sealed |data |enum )*"
        r"(?:class|object|interface) `?(\w+)`?",
        re.M,
    )
    return set(pattern.findall(GENERATED))


def native_functions():
    """The C functions the bindings call through JNA (declared in the generated library interface)."""
    return set(re.findall(r"\bfun ((?:uniffi|ffi)_loansyncro_ffi_\w+)\(", GENERATED))


def exported_symbols(library):
    out = subprocess.run(
        ["readelf", "-W", "--dyn-syms", str(library)], check=True, capture_output=True, text=True
    ).stdout
    symbols = set()
    for line in out.splitlines():
        fields = line.split()
        # Num: Value Size Type Bind Vis Ndx Name; defined functions only (Ndx is not UND)
        if len(fields) >= 8 and fields[3] == "FUNC" and fields[6] != "UND":
            symbols.add(fields[7].split("@")[0])
    return symbols


def main(aar_path):
    aar = Path(aar_path)
    with zipfile.ZipFile(aar) as z:
        names = {n for n in z.namelist() if not n.endswith("/")}
        with tempfile.TemporaryDirectory() as tmp:
            z.extractall(tmp)
            root = Path(tmp)
            libs = {n for n in names if n.startswith("jni/")}
            check(FIXED <= names, f"an Android library's files are there (missing: {sorted(FIXED - names)})")
            check(names <= FIXED | libs, f"nothing else (extra: {sorted(names - FIXED - libs)})")

            manifest_file = root / "AndroidManifest.xml"
            manifest = ET.parse(manifest_file).getroot() if manifest_file.exists() else ET.Element("none")
            namespace = re.search(r'namespace\s*=\s*"([^"]+)"', GRADLE).group(1)
            min_sdk = re.search(r"minSdk\s*=\s*(\d+)", GRADLE).group(1)
            check(manifest.tag == "manifest", "AndroidManifest.xml is a manifest")
            check(manifest.get("package") == namespace, f"manifest package {manifest.get('package')} = {namespace}")
            uses = manifest.find("uses-sdk")
            check(
                uses is not None and uses.get(ANDROID + "minSdkVersion") == min_sdk,
                f"manifest minSdkVersion = {min_sdk}",
            )
            proguard = root / "proguard.txt"
            check(proguard.exists() and proguard.read_bytes() == (UNIFFI / "android" / "consumer-rules.pro").read_bytes(),
                  "proguard.txt is consumer-rules.pro")
            metadata_file = root / "META-INF/com/android/build/gradle/aar-metadata.properties"
            metadata = metadata_file.read_text() if metadata_file.exists() else ""
            check("aarFormatVersion=1.0" in metadata and "aarMetadataVersion=1.0" in metadata, "AAR metadata versions")

            if not (root / "classes.jar").exists():
                return report(aar)
            with zipfile.ZipFile(root / "classes.jar") as classes:
                entries = set(classes.namelist())
                wanted = {f"uniffi/loansyncro/{name}.class" for name in declared_types()}
                check(len(wanted) > 50, f"the generated Kotlin declares many types ({len(wanted)})")
                check(wanted <= entries, f"classes.jar has every declared type (missing: {sorted(wanted - entries)[:5]})")
                foreign = sorted(e for e in entries if e.endswith(".class") and not e.startswith("uniffi/loansyncro/"))
                check(not foreign, f"classes.jar bundles no JNA or Kotlin stdlib classes ({foreign[:3]})")
                majors = {struct.unpack(">H", classes.read(e)[6:8])[0] for e in entries if e.endswith(".class")}
                check(majors == {52}, f"classes.jar is JVM 1.8 bytecode (class file versions {sorted(majors)})")

            abis = {n.split("/")[1] for n in libs}
            check(all(re.fullmatch(r"jni/[^/]+/" + re.escape(LIBRARY), n) for n in libs),
                  f"jni/ holds only jni/<abi>/{LIBRARY} ({sorted(libs)})")
            check(abis <= set(ABIS), f"known Android ABIs ({sorted(abis)})")
            if "-host-" in aar.name:
                expected = {host_abi()}
            else:
                expected = set(os.environ.get("LOANSYNCRO_ANDROID_ABIS", "arm64-v8a armeabi-v7a x86_64").split())
            check(abis == expected, f"ABIs {sorted(abis)} = {sorted(expected)}")
            needed = native_functions()
            check(len(needed) > 100, f"the bindings call many native functions ({len(needed)})")
            for abi in sorted(abis & set(ABIS)):
                library = root / "jni" / abi / LIBRARY
                head = library.read_bytes()[:20]
                machine = struct.unpack("<H", head[18:20])[0]
                check(head[:4] == b"\x7fELF" and head[16] == 3, f"{abi}: an ELF shared library")
                check((machine, head[4]) == ABIS[abi], f"{abi}: ELF machine {machine} class {head[4]} = {ABIS[abi]}")
                missing = needed - exported_symbols(library)
                check(not missing, f"{abi}: exports every function the bindings call (missing: {sorted(missing)[:3]})")

    return report(aar)


def report(aar):
    failed = [what for ok, what in checks if not ok]
    for what in failed:
        print(f"FAILED: {what}")
    print(f"{aar.name}: {len(checks) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
