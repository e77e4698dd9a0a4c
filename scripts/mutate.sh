#!/bin/sh
# `npm run mutate*`: Stryker with the tests' temporary folders in a folder of its own, removed
# afterwards. A mutant stopped at its timeout is killed, so its test never removes what it made
# (one mutant looping on a flow-log append left a 31 GB folder behind).
set -u
tmp=$(mktemp -d "${TMPDIR:-/tmp}/st-proxy-mutate-XXXXXX")
TMPDIR="$tmp" ST_PROXY_SHARED="$(pwd)/../shared" stryker run "$@"
status=$?
rm -rf "$tmp"
exit $status
