#!/usr/bin/env bash
# Cross-compiles libloansyncro_ffi.so (release) for Android into OUT/<abi>/ (default
# src/main/jniLibs, where build.gradle.kts takes it). Needs the Android NDK (ANDROID_NDK_HOME),
# `cargo install cargo-ndk` and the rustup targets below. scripts/package kotlin calls it for the
# AAR when ANDROID_NDK_HOME (or ANDROID_NDK_ROOT) is set; CI has no NDK (see ../README.md).
# LOANSYNCRO_ANDROID_ABIS overrides the ABIs (space-separated Android ABI names).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/src/main/jniLibs}"
abis=(${LOANSYNCRO_ANDROID_ABIS:-arm64-v8a armeabi-v7a x86_64})
min_sdk="$(sed -n 's/^ *minSdk *= *\([0-9]*\).*/\1/p' "$here/build.gradle.kts")"
targets=()
for abi in "${abis[@]}"; do
  case "$abi" in
    arm64-v8a) targets+=(aarch64-linux-android) ;;
    armeabi-v7a) targets+=(armv7-linux-androideabi) ;;
    x86_64) targets+=(x86_64-linux-android) ;;
    x86) targets+=(i686-linux-android) ;;
    *) echo "unknown Android ABI $abi" >&2; exit 2 ;;
  esac
done
rustup target add "${targets[@]}"
command -v cargo-ndk >/dev/null || cargo install --locked cargo-ndk
flags=()
for abi in "${abis[@]}"; do flags+=(-t "$abi"); done
cd "$here/../../.."
cargo ndk "${flags[@]}" --platform "$min_sdk" -o "$out" build --locked --release -p loansyncro-ffi --lib
