"""Follows bindings/uniffi/JVM.md (the plain-JVM Gradle guide) with kotlinc and java.

    python3 bindings/uniffi/tests/jvm_guide.py DIST_KOTLIN_DIR [CACHE_DIR]

Environment: KOTLINC, KOTLIN_VERSION, KOTLIN_STDLIB, JNA_JAR, JNA_VERSION (bindings/uniffi/tools.sh
sets them). With CACHE_DIR, the compiled Main.kt is kept there under the hash of its inputs (the
guide's files, the bindings' classes in the jar, the Kotlin version): kotlinc is the slow step.
Gradle cannot run on the CI machine (see the guide), so this test does by hand what the guide's
`build.gradle.kts` asks Gradle to do, and fails where it cannot do exactly that:
1. writes every file the guide shows (`<!-- guide-file: PATH -->` before a code block) into a new
   project folder, and runs the guide's copy step (the jar of `scripts/package kotlin`, from
   DIST_KOTLIN_DIR, into libs/);
2. reads the build file: the Kotlin plugin's version must be the compiler's (its stdlib is the
   one Gradle would add), `jvmToolchain(N)` the running Java's major version, each
   `files("libs/...")` a jar in libs/, `net.java.dev.jna:jna:V` the JNA at hand; any other
   plugin or dependency fails the test (it could not follow it);
3. compiles src/main/kotlin/*.kt on exactly that class path and runs the `mainClass` once per
   `gradle -q run --args="..."` command of the guide, in the project folder, without
   `jna.library.path` (the native library comes out of the jar, as it would under Gradle), and
   compares each output with the guide's `<!-- guide-output: ... -->` blocks, in order.
Prints "N passed, 0 failed" or the differences and exits 1.
"""

import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

GUIDE = Path(__file__).resolve().parent.parent / "JVM.md"
BLOCK = r"<!-- guide-{kind}: ?(?P<name>[^>]*?) ?-->\s*```\w*\n(?P<body>.*?)```"

checks = []


def check(ok, what):
    checks.append((bool(ok), what))
    if not ok:
        print(f"FAILED: {what}")


def blocks(text, kind):
    return [(m.group("name"), m.group("body")) for m in re.finditer(BLOCK.format(kind=kind), text, re.S)]


def command_blocks(text):
    """The lines of the guide's ```sh blocks, in order."""
    lines = []
    for body in re.findall(r"```sh\n(.*?)```", text, re.S):
        lines += [line.strip() for line in body.splitlines() if line.strip()]
    return lines


def java_major():
    out = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr
    return re.search(r'version "(\d+)', out).group(1)


def classes_digest(jars):
    """A digest of the classes in the given jars (not of the native library beside them)."""
    digest = hashlib.sha256()
    for jar in jars:
        with zipfile.ZipFile(jar) as z:
            for name in sorted(n for n in z.namelist() if n.endswith(".class")):
                digest.update(name.encode())
                digest.update(z.read(name))
    return digest.hexdigest()


def compile_main(project, classpath, jvm_target, cache):
    """kotlinc src/main/kotlin/*.kt on the class path into build/classes (or from the cache)."""
    classes = project / "build" / "classes"
    sources = sorted((project / "src/main/kotlin").glob("*.kt"))
    key = hashlib.sha256()
    for part in [os.environ["KOTLIN_VERSION"], jvm_target, classes_digest(classpath[1:])]:
        key.update(part.encode())
    for source in sources:
        key.update(source.read_bytes())
    cached = Path(cache) / f"guide-{key.hexdigest()[:16]}" if cache else None
    if cached and cached.is_dir():
        shutil.copytree(cached, classes)
        return subprocess.CompletedProcess([], 0, "", "")
    compiled = subprocess.run(
        [os.environ["KOTLINC"], "-jvm-target", jvm_target, "-cp", os.pathsep.join(classpath), "-d", str(classes),
         *map(str, sources)],
        capture_output=True, text=True,
    )
    if cached and compiled.returncode == 0:
        for old in Path(cache).glob("guide-*"):
            shutil.rmtree(old)
        shutil.copytree(classes, cached)
    return compiled


def main(dist_kotlin, cache=None):
    text = GUIDE.read_text()
    env = os.environ
    files = blocks(text, "file")
    outputs = blocks(text, "output")
    commands = command_blocks(text)
    check({name for name, _ in files} == {"settings.gradle.kts", "build.gradle.kts", "src/main/kotlin/Main.kt"},
          f"the guide shows the project's three files ({[n for n, _ in files]})")
    check("scripts/package kotlin" in commands, "step 1 builds the jar with scripts/package kotlin")

    with tempfile.TemporaryDirectory() as tmp:
        # The guide's folder commands, then its copy step (from the dist folder given).
        made = 0
        for line in commands:
            words = shlex.split(line)
            if words[:2] == ["mkdir", "-p"]:
                for folder in words[2:]:
                    (Path(tmp) / folder).mkdir(parents=True, exist_ok=True)
                    made += 1
            elif words[0] == "cp" and words[1] == "dist/kotlin/loansyncro-*.jar":
                for jar in Path(dist_kotlin).glob("loansyncro-*.jar"):
                    shutil.copy(jar, Path(tmp) / words[2])
                    made += 1
        check(made >= 3, "the guide makes the project's folders and copies the jar")
        project = Path(tmp) / "my-app"
        for name, body in files:
            (project / name).parent.mkdir(parents=True, exist_ok=True)
            (project / name).write_text(body)

        build = (project / "build.gradle.kts").read_text()
        plugins = re.search(r"plugins \{(.*?)\n\}", build, re.S).group(1)
        plugin_lines = [line.strip() for line in plugins.strip().splitlines()]
        kotlin_plugin = re.fullmatch(r'kotlin\("jvm"\) version "([^"]+)"', plugin_lines[0])
        check(kotlin_plugin is not None and plugin_lines[1:] == ["application"],
              f"plugins: Kotlin JVM and application only ({plugin_lines})")
        compiler = env["KOTLIN_VERSION"]
        check(kotlin_plugin and kotlin_plugin.group(1) == compiler,
              f"Kotlin plugin version = the compiler's {compiler} (its stdlib is on the class path)")
        classpath = [env["KOTLIN_STDLIB"]]
        deps = re.search(r"dependencies \{(.*?)\n\}", build, re.S).group(1)
        for line in (line.strip() for line in deps.strip().splitlines()):
            local = re.fullmatch(r'implementation\(files\("([^"]+)"\)\)', line)
            maven = re.fullmatch(r'implementation\("([^"]+)"\)', line)
            if local:
                jar = project / local.group(1)
                check(jar.is_file(), f"{local.group(1)} is the jar the copy step put there")
                classpath.append(str(jar))
            elif maven and maven.group(1).rsplit(":", 1)[0] == "net.java.dev.jna:jna":
                version = maven.group(1).rsplit(":", 1)[1]
                check(version == env["JNA_VERSION"], f"JNA {version} = the JNA at hand ({env['JNA_VERSION']})")
                classpath.append(env["JNA_JAR"])
            else:
                check(False, f"a dependency this test cannot follow: {line}")
        toolchain = re.search(r"jvmToolchain\((\d+)\)", build)
        check(toolchain and toolchain.group(1) == java_major(), f"jvmToolchain = the running Java ({java_major()})")
        main_class = re.search(r'mainClass\.set\("([^"]+)"\)', build).group(1)

        classes = project / "build" / "classes"
        compiled = compile_main(project, classpath, toolchain.group(1) if toolchain else "17", cache)
        check(compiled.returncode == 0, f"Main.kt compiles against the guide's class path\n{compiled.stderr}")
        runs = [shlex.split(line) for line in commands if line.startswith("gradle ")]
        check(len(runs) == len(outputs) == 2, f"two runs, two outputs ({len(runs)}, {len(outputs)})")
        for words, (label, expected) in zip(runs, outputs):
            check(words[:3] == ["gradle", "-q", "run"] and words[3].startswith("--args="), f"a run command: {words}")
            args = shlex.split(words[3][len("--args="):])
            java = ["java", "-cp", os.pathsep.join([str(classes), *classpath]), main_class, *args]
            clean = {k: v for k, v in env.items() if k not in ("LD_LIBRARY_PATH", "JAVA_TOOL_OPTIONS")}
            ran = subprocess.run(java, cwd=project, capture_output=True, text=True, env=clean)
            check(ran.returncode == 0, f"{label}: exits 0\n{ran.stderr}")
            check(ran.stdout == expected, f"{label}: output as in the guide\n--- guide\n{expected}--- got\n{ran.stdout}")
        check((project / "loans.db").is_file(), "the portfolio is a file in the project folder")

    failed = sum(1 for ok, _ in checks if not ok)
    print(f"JVM.md followed: {len(checks) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
