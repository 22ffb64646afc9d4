#!/usr/bin/env bash
# Builds the Lambda binaries (lambdas/loans, lambdas/repayments, the scheduled lambdas/recurring)
# for provided.al2023 as zips
# that deploy/terraform reads: deploy/dist/<arch>/<binary>/bootstrap.zip.
#
#   deploy/build-lambdas.sh                    # arm64 (the default architecture of the Terraform)
#   deploy/build-lambdas.sh arm64 x86_64       # both
#   LAMBDA_BINARIES=loans deploy/build-lambdas.sh   # one binary only
#
# Uses cargo-lambda and ziglang from PyPI (installed into .venv-deploy if they are not on PATH)
# and the Rust target of each architecture (rustup target add). The equivalent manual command:
#   cargo lambda build --release --arm64 --output-format zip --lambda-dir deploy/dist/arm64 \
#     --bin loans --bin repayments --disable-optimizations \
#     --config 'profile.release.codegen-units=1' --config 'profile.release.strip="symbols"'
#
# --disable-optimizations drops cargo-lambda's default release tweaks because they include
# panic = "abort", which would turn the router's CatchPanicLayer (a panic -> one JSON 500) into
# a crashed instance (API Gateway 502, then a cold start). Its other two tweaks are kept
# explicitly: codegen-units = 1 (measured here: less CPU in total than 16 units, 7.5 vs 10.3 min,
# and a smaller binary) and stripped symbols. The workspace's thin LTO applies.
# LAMBDA_CARGO_LAMBDA_DEFAULTS=1 builds with cargo-lambda's defaults instead.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

archs=("$@")
[ "${#archs[@]}" -gt 0 ] || archs=(arm64)
read -r -a binaries <<<"${LAMBDA_BINARIES:-loans repayments recurring}"

venv="$root/.venv-deploy"
if ! command -v cargo-lambda >/dev/null 2>&1; then
  if [ ! -x "$venv/bin/cargo-lambda" ] || [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import ziglang' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check cargo-lambda ziglang
  fi
  # The venv's python (with ziglang) and cargo-lambda first: cargo-lambda finds zig through them.
  export PATH="$venv/bin:$PATH"
fi

bin_args=()
for b in "${binaries[@]}"; do bin_args+=(--bin "$b"); done

for arch in "${archs[@]}"; do
  case "$arch" in
    arm64) flag=--arm64 target=aarch64-unknown-linux-gnu ;;
    x86_64) flag=--x86-64 target=x86_64-unknown-linux-gnu ;;
    *) echo "unknown architecture $arch (arm64 or x86_64)" >&2; exit 2 ;;
  esac
  if command -v rustup >/dev/null 2>&1 && ! rustup target list --installed | grep -qx "$target"; then
    rustup target add "$target"
  fi
  out="$root/deploy/dist/$arch"
  started=$SECONDS
  tweaks=(--disable-optimizations --config 'profile.release.codegen-units=1' --config 'profile.release.strip="symbols"')
  [ "${LAMBDA_CARGO_LAMBDA_DEFAULTS:-0}" = "1" ] && tweaks=()
  build_profile=(--release)
  # LAMBDA_PROFILE=lambda-check (the deploy suite in scripts/test): the same cross toolchain, link
  # and zip, without the optimizer (see [profile.lambda-check] in Cargo.toml). Not for deployment.
  [ -n "${LAMBDA_PROFILE:-}" ] && build_profile=(--profile "$LAMBDA_PROFILE") && tweaks=(--disable-optimizations)
  cargo lambda build "${build_profile[@]}" --locked "$flag" --output-format zip --lambda-dir "$out" "${bin_args[@]}" "${tweaks[@]}"
  echo "built ${binaries[*]} for $arch in $((SECONDS - started)) s:"
  for b in "${binaries[@]}"; do
    zip="$out/$b/bootstrap.zip"
    [ -s "$zip" ] || { echo "missing $zip" >&2; exit 1; }
    printf '  %s  %s bytes\n' "${zip#"$root"/}" "$(stat -c %s "$zip")"
  done
done
