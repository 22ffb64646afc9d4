# Sourced (not run) by generate.sh, scripts/package (kotlin) and scripts/suites/40-uniffi.sh.
# loansyncro_target_dir prints cargo's target directory. loansyncro_kotlin_tools installs the JVM
# tools of the Kotlin bindings when missing, into git-ignored places, and sets
#   KOTLINC        the Kotlin compiler (npm kotlin-compiler, pinned, in .tools/kotlin)
#   KOTLIN_VERSION its version (from its package.json: no JVM started to ask it)
#   KOTLIN_STDLIB  its kotlin-stdlib.jar (what a consumer needs beside the jar)
#   JNA_JAR        JNA (Debian libjna-java: /usr/share/java/jna.jar)
#   JNA_VERSION    JNA's version (from the jar's manifest)
# One place for these versions: bindings/uniffi/JVM.md names them too, and its test checks both.
# shellcheck shell=bash
LOANSYNCRO_KOTLIN_VERSION=2.4.20

loansyncro_kotlin_tools() {
  local root; root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  JNA_JAR=/usr/share/java/jna.jar
  if [ ! -f "$JNA_JAR" ]; then
    local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libjna-java >/dev/null
  fi
  command -v java >/dev/null || { echo "java (JDK 17) is required" >&2; return 1; }
  local home="$root/.tools/kotlin/node_modules/kotlin-compiler"
  if [ "$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$home/package.json" 2>/dev/null)" \
    != "$LOANSYNCRO_KOTLIN_VERSION" ]; then
    npm install --prefix "$root/.tools/kotlin" --no-audit --no-fund --loglevel=error \
      "kotlin-compiler@$LOANSYNCRO_KOTLIN_VERSION"
  fi
  chmod +x "$home"/bin/* 2>/dev/null || true
  KOTLINC="$home/bin/kotlinc"
  KOTLIN_VERSION="$LOANSYNCRO_KOTLIN_VERSION"
  KOTLIN_STDLIB="$home/lib/kotlin-stdlib.jar"
  JNA_VERSION="$(unzip -p "$JNA_JAR" META-INF/MANIFEST.MF | sed -n 's/^Bundle-Version: *\([0-9.]*\).*/\1/p')"
  export KOTLINC KOTLIN_VERSION KOTLIN_STDLIB JNA_JAR JNA_VERSION
}

# The cargo target directory (CARGO_TARGET_DIR or the workspace's target/).
loansyncro_target_dir() {
  cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p'
}
