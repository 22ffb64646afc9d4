#!/usr/bin/env bash
# Suite "uniffi": the Kotlin/Swift bindings (bindings/uniffi).
# 1. installs JNA (Debian libjna-java) and the Kotlin compiler (npm kotlin-compiler into
#    .tools/kotlin) when missing;
# 2. builds loansyncro-ffi and regenerates the Kotlin and Swift bindings, failing on any drift
#    from the committed bindings/uniffi/generated/;
# 3. compiles the Kotlin tests with the generated sources and runs them on the JVM against the
#    native library (vectors from loansyncro-core/tests/data/vectors).
# The library is the workspace's debug build (profile dev, the workspace's feature set), which
# scripts/test has already compiled: this suite compiles no Rust. LOANSYNCRO_FFI_PROFILE=release
# tests a release build instead (what scripts/package ships).
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
profile="${LOANSYNCRO_FFI_PROFILE:-dev}"
export LOANSYNCRO_FFI_WORKSPACE_BUILD=1
case "$profile" in dev) dir=debug ;; *) dir="$profile" ;; esac
t0=$SECONDS
lap() { echo "[uniffi] $1 ($((SECONDS - t0)) s)"; }

jna=/usr/share/java/jna.jar
if [ ! -f "$jna" ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libjna-java >/dev/null
fi
command -v java >/dev/null || { echo "java (JDK 17) is required" >&2; exit 1; }

kotlin_home="$root/.tools/kotlin/node_modules/kotlin-compiler"
if [ ! -f "$kotlin_home/bin/kotlinc" ]; then
  npm install --prefix "$root/.tools/kotlin" --no-audit --no-fund --loglevel=error kotlin-compiler
fi
chmod +x "$kotlin_home"/bin/* 2>/dev/null || true
kotlinc="$kotlin_home/bin/kotlinc"
lap "tools ready: $("$kotlinc" -version 2>&1 | tail -1)"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
LOANSYNCRO_FFI_PROFILE="$profile" bash bindings/uniffi/generate.sh "$work/generated"
lap "library built, bindings generated"
if ! diff -ru bindings/uniffi/generated "$work/generated" >"$work/drift.diff"; then
  head -40 "$work/drift.diff"
  echo "The generated bindings drifted from bindings/uniffi/generated: run" >&2
  echo "  bash bindings/uniffi/generate.sh" >&2
  echo "and commit the result." >&2
  exit 1
fi
lap "no drift in generated Kotlin/Swift"

target="$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')"
generated_kt="bindings/uniffi/generated/kotlin/uniffi/loansyncro/loansyncro.kt"
tests=(bindings/uniffi/tests/kotlin/*.kt)
# The test jar is cached by the hash of its inputs (the compile takes most of this suite).
key="$(cat "$generated_kt" "${tests[@]}" <("$kotlinc" -version 2>&1) | sha256sum | cut -c1-16)"
jar="$target/uniffi-kotlin/tests-$key.jar"
if [ ! -f "$jar" ]; then
  mkdir -p "$target/uniffi-kotlin"
  rm -f "$target"/uniffi-kotlin/tests-*.jar
  "$kotlinc" -nowarn -cp "$jna" "$generated_kt" "${tests[@]}" -include-runtime -d "$work/tests.jar"
  mv "$work/tests.jar" "$jar"
fi
lap "Kotlin tests compiled"

java -Djna.library.path="$target/$dir" -Dloansyncro.generated="$generated_kt" \
  -cp "$jar:$jna" loansyncro.test.MainKt loansyncro-core/tests/data/vectors
lap "Kotlin tests passed"
