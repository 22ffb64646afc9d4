#!/usr/bin/env bash
# Builds loansyncro-ffi and regenerates the Kotlin and Swift bindings (library mode) into
# bindings/uniffi/generated/ (or into the directory given as $1, for the drift check).
# LOANSYNCRO_FFI_PROFILE=release (default) or dev selects the cargo profile.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="${1:-$here/generated}"
profile="${LOANSYNCRO_FFI_PROFILE:-release}"
case "$profile" in dev) dir=debug ;; *) dir="$profile" ;; esac
# shellcheck source=tools.sh
source "$here/tools.sh"
target="$(cd "$root" && loansyncro_target_dir)"
case "$(uname -s)" in Darwin) lib=libloansyncro_ffi.dylib ;; *) lib=libloansyncro_ffi.so ;; esac

select=(-p loansyncro-ffi)
# LOANSYNCRO_FFI_WORKSPACE_BUILD=1 (the uniffi suite): the workspace's feature set, so the build of
# scripts/test is reused instead of recompiling the dependencies with this package's features.
[ "${LOANSYNCRO_FFI_WORKSPACE_BUILD:-0}" = 1 ] && select=(--workspace)
(cd "$root" && cargo build --locked --profile "$profile" "${select[@]}" --lib --bin uniffi-bindgen)

rm -rf "$out/kotlin" "$out/swift"
mkdir -p "$out"
for language in kotlin swift; do
  "$target/$dir/uniffi-bindgen" generate --library "$target/$dir/$lib" --language "$language" \
    --out-dir "$out/$language" --no-format --config "$here/uniffi.toml"
done
echo "generated $out/kotlin and $out/swift from $target/$dir/$lib"
