#!/usr/bin/env bash
# Publishes the web app (web/) to its hosting (deploy/terraform/hosting.tf), after `terraform apply`:
#
#   1. build:  npm ci && npm run build in web/ (the app links bindings/wasm/pkg: build it first with
#              bash scripts/suites/30-wasm.sh)
#   2. upload: aws s3 sync of web/dist to the bucket:
#              - /assets/* first (hashed names), the .wasm as application/wasm, set explicitly
#                (the browser compiles it while it downloads only with that type; older CLI
#                builds do not know .wasm and upload binary/octet-stream), the rest by extension;
#              - then the root files, index.html last, so a page never names an asset not yet there;
#              - never config.json: Terraform writes the production one (aws_s3_object.web_config),
#                the build's is the development one ("auth": "dev");
#              - root files the build no longer has are deleted; old /assets/* are kept (a tab
#                opened before the release still loads its lazy chunks; the bucket's versioning
#                and lifecycle apply);
#   3. invalidate: a CloudFront invalidation of /* (free up to 1,000 paths a month; one wildcard
#              counts as one). Cache-Control comes from CloudFront (hosting.tf), not from here.
#
# Usage:  deploy/publish-web.sh
# Env:    WEB_BUCKET, WEB_DISTRIBUTION_ID   default: `terraform output` of TF_DIR
#         TF_DIR (default deploy/terraform), WEB_DIR (default web), AWS_PROFILE/AWS_REGION as usual.
# Needs:  Node.js 20+ and npm, the AWS CLI v2, terraform (unless both ids are given).
# Not run by the test suite (it needs an AWS account); deploy/tests/test_hosting.py runs it
# against stand-in aws/npm/terraform commands to check the order and the arguments.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
web="${WEB_DIR:-$root/web}"
tf_dir="${TF_DIR:-$root/deploy/terraform}"
die() {
  echo "publish-web: $*" >&2
  exit 1
}
step() { printf -- '--- publish-web: %s\n' "$*"; }

command -v aws >/dev/null || die "the AWS CLI is needed (https://docs.aws.amazon.com/cli/)"
command -v npm >/dev/null || die "npm is needed (Node.js 20+)"
tf_output() {
  command -v terraform >/dev/null || die "terraform is needed to read $1 (or set it in the environment)"
  terraform -chdir="$tf_dir" output -raw "$1"
}
bucket="${WEB_BUCKET:-$(tf_output web_bucket_name)}"
distribution="${WEB_DISTRIBUTION_ID:-$(tf_output web_distribution_id)}"
[ -n "$bucket" ] || die "no bucket: run terraform apply in $tf_dir first (output web_bucket_name)"
[ -n "$distribution" ] || die "no distribution: run terraform apply in $tf_dir first (output web_distribution_id)"

[ -f "$web/../bindings/wasm/pkg/package.json" ] \
  || die "the WASM package is missing: bash scripts/suites/30-wasm.sh builds bindings/wasm/pkg"

step "build ($web)"
(cd "$web" && npm ci && npm run build)
dist="$web/dist"
[ -f "$dist/index.html" ] || die "the build left no $dist/index.html"

s3="s3://$bucket"
step "upload to $s3"
aws s3 sync "$dist/assets" "$s3/assets" --no-progress --exclude '*.wasm'
aws s3 sync "$dist/assets" "$s3/assets" --no-progress --exclude '*' --include '*.wasm' \
  --content-type application/wasm
aws s3 sync "$dist" "$s3" --no-progress --delete \
  --exclude 'assets/*' --exclude index.html --exclude config.json --exclude '.vite/*'
aws s3 cp "$dist/index.html" "$s3/index.html" --no-progress --content-type 'text/html; charset=utf-8'

step "invalidate CloudFront $distribution"
aws cloudfront create-invalidation --distribution-id "$distribution" --paths '/*' \
  --query Invalidation.Id --output text
echo "published: $(tf_output web_url 2>/dev/null || echo "distribution $distribution")"
