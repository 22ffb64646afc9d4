#!/usr/bin/env bash
# Cross-compiles libloansyncro_ffi.so for Android into src/main/jniLibs/<abi>/ (needs the
# Android NDK, `cargo install cargo-ndk` and the rustup targets below). Not run in CI.
set -euo pipefail
cd "$(dirname "$0")"
rustup target add aarch64-linux-android armv7-linux-androideabi x86_64-linux-android
cargo ndk -t arm64-v8a -t armeabi-v7a -t x86_64 -o src/main/jniLibs \
  build --release -p loansyncro-ffi --lib
