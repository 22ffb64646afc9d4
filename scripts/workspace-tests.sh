#!/usr/bin/env bash
# Runs the test binaries (unit and integration tests) of one workspace package, compiled with the
# feature set of the whole workspace, i.e. the binaries `cargo test --workspace` builds.
#
#   bash scripts/workspace-tests.sh <package> [test-binary args...]
#
# Why not `cargo test -p <package>`: with `-p`, cargo resolves only that package's features, so
# shared dependencies (serde, tokio, hyper, the AWS SDK, ...) are compiled a second time with
# other features. After scripts/test's workspace build this script compiles nothing.
# Doctests are not run here (scripts/test's `cargo test --workspace` runs them).
set -euo pipefail
cd "$(dirname "$0")/.."
package="${1:?usage: workspace-tests.sh <package> [test args...]}"
shift
mapfile -t binaries < <(
  cargo test --workspace --locked --no-run --message-format=json-render-diagnostics \
    | python3 -c '
import json, sys
package = sys.argv[1]
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["profile"]["test"]:
        name = m["package_id"]
        # package_id: "path+file:///...#name@version" (or "#version" when the dir is the name)
        if f"#{package}@" in name or name.split("#")[0].endswith("/" + package):
            print(m["executable"] + "\t" + m["manifest_path"].rsplit("/", 1)[0])
' "$package"
)
[ "${#binaries[@]}" -gt 0 ] || { echo "no test binaries found for $package" >&2; exit 1; }
for entry in "${binaries[@]}"; do
  binary="${entry%%$'\t'*}" dir="${entry#*$'\t'}"
  echo "     Running $(basename "$binary") (in ${dir#"$PWD"/})"
  # As `cargo test` runs it: from the package's directory, with CARGO_MANIFEST_DIR set.
  (cd "$dir" && CARGO_MANIFEST_DIR="$dir" "$binary" "$@")
done
