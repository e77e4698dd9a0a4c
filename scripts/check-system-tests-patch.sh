#!/usr/bin/env bash
# Checks contrib/system-tests/st-proxy.patch against the DataDog/system-tests commit its header
# names: the patch applies cleanly there (git apply --check), and the patched
# utils/_context/containers.py is valid Python (python3 -m py_compile).
# Usage: scripts/check-system-tests-patch.sh [SYSTEM_TESTS [PATCH]]
#   SYSTEM_TESTS: a clone (or bare git dir) of DataDog/system-tests holding that commit;
#   default $SYSTEM_TESTS_DIR, else ../system-tests beside this repository.
#   PATCH: the patch to check (default contrib/system-tests/st-proxy.patch).
# Exit 0: both checks pass; 1: a check failed; 3: no system-tests with that commit here.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
REPO=${1:-${SYSTEM_TESTS_DIR:-$ROOT/../system-tests}}
PATCH=$(realpath "${2:-$ROOT/contrib/system-tests/st-proxy.patch}")
FILE=utils/_context/containers.py

COMMIT=$(sed -n 's/.*system-tests commit \([0-9a-f]\{40\}\).*/\1/p' "$PATCH" | head -1)
[ -n "$COMMIT" ] || { echo "no 'system-tests commit <sha>' in the header of $PATCH" >&2; exit 1; }
if ! git -C "$REPO" cat-file -e "$COMMIT^{commit}" 2>/dev/null; then
  echo "no DataDog/system-tests with commit $COMMIT at $REPO (clone it there, or pass its path)" >&2
  exit 3
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/$(dirname "$FILE")"
git -C "$REPO" show "$COMMIT:$FILE" > "$WORK/$FILE"
cd "$WORK"
git apply --check "$PATCH" || { echo "FAIL: $PATCH does not apply cleanly to $COMMIT" >&2; exit 1; }
git apply "$PATCH"
python3 -m py_compile "$FILE" || { echo "FAIL: the patched $FILE is not valid Python" >&2; exit 1; }
echo "ok: $(basename "$PATCH") applies to system-tests $COMMIT and the patched $FILE compiles"
