# Suite "uniffi": the Kotlin/Swift bindings (bindings/uniffi).
# 1. installs JNA (Debian libjna-java) and the pinned Kotlin compiler (npm kotlin-compiler into
#    .tools/kotlin) when missing (bindings/uniffi/tools.sh);
# 2. `scripts/package kotlin`: builds loansyncro-ffi, regenerates the Kotlin and Swift bindings
#    from it, failing on any drift from the committed bindings/uniffi/generated/, then builds the
#    jar (bindings compiled + native library) and the Android AAR (the host's library here: no
#    NDK), whose layout tests/check_aar.py checks;
#    tests/check_swift_ffi.py checks the Swift package's C side against the library (header,
#    module map, the checksums its start-up compares) with gcc: there is no Swift compiler here;
# 3. compiles the Kotlin tests against the packaged jar and runs them on the JVM (the native
#    library loads from the jar; vectors from loansyncro-core/tests/data/vectors);
# 4. follows bindings/uniffi/JVM.md (the plain-JVM guide) with kotlinc and java
#    (tests/jvm_guide.py): a portfolio written to a SQLite file, reopened by a second process.
# The library is the workspace's debug build (profile dev, the workspace's feature set), which
# scripts/test has already compiled: this suite compiles no Rust. LOANSYNCRO_FFI_PROFILE=release
# tests a release build instead (what scripts/package ships).
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
profile="${LOANSYNCRO_FFI_PROFILE:-dev}"
export LOANSYNCRO_FFI_WORKSPACE_BUILD=1 LOANSYNCRO_FFI_PROFILE="$profile"
t0=$SECONDS
lap() { echo "[uniffi] $1 ($((SECONDS - t0)) s)"; }

# shellcheck source=../../bindings/uniffi/tools.sh
source bindings/uniffi/tools.sh
loansyncro_kotlin_tools
lap "tools ready: Kotlin $KOTLIN_VERSION, JNA $JNA_VERSION"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Builds the library, regenerates both bindings from it (failing on drift from
# bindings/uniffi/generated), then the jar and the AAR.
bash scripts/package kotlin >"$work/package.log" 2>&1 || { cat "$work/package.log"; exit 1; }
jar="$(ls dist/kotlin/loansyncro-*.jar)"
aar="$(ls dist/kotlin/loansyncro-*.aar)"
lap "no drift in generated Kotlin/Swift; packaged $(basename "$jar") and $(basename "$aar")"
python3 bindings/uniffi/tests/check_aar.py "$aar"
lap "AAR layout checked"

target="$(loansyncro_target_dir)"
case "$profile" in dev) dir=debug ;; *) dir="$profile" ;; esac
python3 bindings/uniffi/tests/check_swift_ffi.py "$target/$dir/libloansyncro_ffi.so"
lap "Swift package's C side checked (no Swift compiler here)"
generated_kt="bindings/uniffi/generated/kotlin/uniffi/loansyncro/loansyncro.kt"
tests=(bindings/uniffi/tests/kotlin/*.kt)
# The test jar is cached by the hash of its inputs (the compile takes most of this suite).
key="$(cat "$generated_kt" "${tests[@]}" <(echo "$KOTLIN_VERSION") | sha256sum | cut -c1-16)"
tests_jar="$target/uniffi-kotlin/tests-$key.jar"
if [ ! -f "$tests_jar" ]; then
  mkdir -p "$target/uniffi-kotlin"
  rm -f "$target"/uniffi-kotlin/tests-*.jar
  "$KOTLINC" -nowarn -cp "$jar:$JNA_JAR" "${tests[@]}" -d "$work/tests.jar"
  mv "$work/tests.jar" "$tests_jar"
fi
lap "Kotlin tests compiled"

# No jna.library.path: JNA takes the library out of the packaged jar, as a user's program does.
java -Dloansyncro.generated="$generated_kt" -cp "$tests_jar:$jar:$KOTLIN_STDLIB:$JNA_JAR" \
  loansyncro.test.MainKt loansyncro-core/tests/data/vectors
lap "Kotlin tests passed"

python3 bindings/uniffi/tests/jvm_guide.py dist/kotlin "$target/uniffi-kotlin"
lap "JVM.md followed"
