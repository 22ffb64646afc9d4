#!/usr/bin/env bash
# Suite "deploy": the AWS deployment definitions (deploy/), checked without cloud access.
#
#   1. Tools, idempotently, in git-ignored virtual environments:
#        .venv-deploy          python-hcl2, pytest, cargo-lambda, ziglang
#        .venv-deploy-checkov  checkov (kept apart: it pins bc-python-hcl2, which installs a
#                              different package under the same `hcl2` module name)
#   2. The Lambda zips for arm64 (deploy/build-lambdas.sh -> deploy/dist/arm64/<bin>/bootstrap.zip),
#      cross-compiled with cargo-lambda + zig into target/lambda-build (kept between runs), in the
#      profile `lambda-check` (no optimizer: the cross toolchain, aarch64 C code of ring, the link
#      against provided.al2023's glibc and the zip layout are verified, in a third of the time).
#      LOANSYNCRO_DEPLOY_RELEASE=1 builds the deployable release zips instead (codegen-units = 1,
#      thin LTO, stripped; about 8 min of 2 cores), as deploy/README.md's deploy steps do.
#   3. pytest deploy/tests: every .tf/.tfvars parses (python-hcl2); checkov over deploy/terraform
#      with default, dev and prod variables has no failed check and every skip has a reason;
#      the Terraform agrees with the Rust sources (environment variables, tables and GSIs, routes,
#      IAM actions); the zips hold an aarch64 `bootstrap`; terraform fmt (if terraform is here).
#
# Env: LOANSYNCRO_DEPLOY_BUILD=0 skips step 2 (the zip test then skips instead of failing);
#      LAMBDA_BINARIES="loans" builds one binary only.
# Run alone: bash scripts/suites/60-deploy.sh   (or LOANSYNCRO_SUITES=deploy ./scripts/test)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
PYTHON="${PYTHON:-python3}"
VENV="$ROOT/.venv-deploy"
CHECKOV_VENV="$ROOT/.venv-deploy-checkov"
step() { printf -- '--- deploy: %s\n' "$*"; }

step "tools"
if ! "$VENV/bin/python" -c 'import hcl2, pytest; assert hcl2.__version__.startswith("8.")' 2>/dev/null \
  || [ ! -x "$VENV/bin/cargo-lambda" ] || ! "$VENV/bin/python" -c 'import ziglang' 2>/dev/null; then
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check \
    "python-hcl2>=8,<9" "pytest>=8" "cargo-lambda>=1.9,<2" ziglang
fi
if [ ! -x "$CHECKOV_VENV/bin/checkov" ]; then
  "$PYTHON" -m venv "$CHECKOV_VENV"
  "$CHECKOV_VENV/bin/pip" install --quiet --disable-pip-version-check "checkov>=3.2,<4"
fi
echo "checkov $("$CHECKOV_VENV/bin/checkov" --version 2>/dev/null | tail -n 1), $("$VENV/bin/cargo-lambda" lambda --version 2>/dev/null)"

# The scheduled recurring-repayments Lambda is built in the same cargo-lambda run (shared deps).
LAMBDA_BINARIES="${LAMBDA_BINARIES:-loans repayments recurring}"
export LAMBDA_BINARIES="${LAMBDA_BINARIES:-loans repayments}"
if [ "${LOANSYNCRO_DEPLOY_BUILD:-1}" != "0" ]; then
  profile=lambda-check
  [ "${LOANSYNCRO_DEPLOY_RELEASE:-0}" = "1" ] && profile=""
  step "Lambda zips (arm64: $LAMBDA_BINARIES, profile ${profile:-release})"
  started=$SECONDS
  PATH="$VENV/bin:$PATH" CARGO_TARGET_DIR="${LAMBDA_TARGET_DIR:-$ROOT/target/lambda-build}" \
    LAMBDA_PROFILE="$profile" bash deploy/build-lambdas.sh arm64
  echo "zips built in $((SECONDS - started)) s"
  export LOANSYNCRO_REQUIRE_ZIPS=1
fi

step "pytest deploy/tests"
cd "$ROOT/deploy/tests"
CHECKOV="$CHECKOV_VENV/bin/checkov" "$VENV/bin/python" -m pytest -q -p no:cacheprovider
