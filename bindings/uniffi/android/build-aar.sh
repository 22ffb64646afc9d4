#!/usr/bin/env bash
# Assembles the Android library (AAR) of the Kotlin bindings:
#   build-aar.sh CLASSES_DIR OUT_DIR VERSION HOST_LIB
# CLASSES_DIR: the generated Kotlin compiled (JVM 1.8 bytecode, against JNA: on Android the app
# takes JNA's own AAR, net.java.dev.jna:jna:<v>@aar, which ships libjnidispatch per ABI).
# The AAR (a zip) holds AndroidManifest.xml (namespace and minSdk read from build.gradle.kts),
# classes.jar, proguard.txt (consumer-rules.pro), an empty R.txt, the AAR metadata and
# jni/<abi>/libloansyncro_ffi.so:
#  * with the Android NDK (ANDROID_NDK_HOME or ANDROID_NDK_ROOT set): cross-compiled by
#    build-rust.sh for arm64-v8a, armeabi-v7a and x86_64 (LOANSYNCRO_ANDROID_ABIS) ->
#    OUT_DIR/loansyncro-VERSION.aar, the AAR an Android app uses;
#  * without it (this CI machine: the NDK cannot be installed from the registries it reaches):
#    HOST_LIB, the host's glibc library, under the host CPU's ABI name ->
#    OUT_DIR/loansyncro-VERSION-host-<abi>-linux-gnu.aar. Its layout is the real one, but its
#    library links against glibc, not Android's bionic: it does not load on a device.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
classes="$1" out="$2" version="$3" host_lib="$4"
namespace="$(sed -n 's/^ *namespace *= *"\([^"]*\)".*/\1/p' "$here/build.gradle.kts")"
min_sdk="$(sed -n 's/^ *minSdk *= *\([0-9]*\).*/\1/p' "$here/build.gradle.kts")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
layout="$work/aar"
mkdir -p "$layout/jni" "$layout/META-INF/com/android/build/gradle"
cat > "$layout/AndroidManifest.xml" <<XML
<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="$namespace">
    <uses-sdk android:minSdkVersion="$min_sdk" />
</manifest>
XML
jar --create --file "$layout/classes.jar" -C "$classes" .
cp "$here/consumer-rules.pro" "$layout/proguard.txt"
: > "$layout/R.txt"
printf 'aarFormatVersion=1.0\naarMetadataVersion=1.0\nminCompileSdk=1\nminAndroidGradlePluginVersion=1.0.0\n' \
  > "$layout/META-INF/com/android/build/gradle/aar-metadata.properties"
if [ -n "${ANDROID_NDK_HOME:-${ANDROID_NDK_ROOT:-}}" ]; then
  bash "$here/build-rust.sh" "$layout/jni"
  name="loansyncro-$version.aar"
else
  case "$(uname -m)" in x86_64|amd64) abi=x86_64 ;; aarch64|arm64) abi=arm64-v8a ;;
    *) echo "no Android ABI for host CPU $(uname -m)" >&2; exit 1 ;; esac
  mkdir -p "$layout/jni/$abi"
  cp "$host_lib" "$layout/jni/$abi/libloansyncro_ffi.so"
  name="loansyncro-$version-host-$abi-linux-gnu.aar"
  echo "no Android NDK (ANDROID_NDK_HOME): the AAR holds the host's glibc library under jni/$abi/;" \
    "its layout is checked, it does not load on a device" >&2
fi
mkdir -p "$out"
rm -f "$out"/loansyncro-*.aar
jar --create --no-manifest --file "$out/$name" -C "$layout" .
echo "$out/$name"
