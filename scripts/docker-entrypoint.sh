#!/bin/sh
# The st-proxy image's entrypoint: `st-proxy "$@"`, as the user who owns the log folder.
#
# system-tests bind-mounts a host folder made by the host user (uid 1001 on GitHub runners, any
# uid elsewhere, mode 0755) as <log folder>/interfaces. Started as root (the image's default),
# this runs st-proxy with the uid and gid that own the nearest existing of <log folder>/interfaces,
# <log folder>, its parents: every file and folder st-proxy makes then belongs to that host user,
# who can read and delete it. When that owner is root (no mount, or a folder Docker made), st-proxy
# stays root with umask 0, as the Python proxy ran, so any host user can still read and delete.
# Started as another user (docker run --user), it runs as that user, unchanged.
set -eu
CLI=${ST_PROXY_CLI:-/app/dist/cli.js} # the image's st-proxy (tests point this elsewhere)
st_proxy() { exec node "$CLI" "$@"; }
[ "$(id -u)" = 0 ] || st_proxy "$@"

# The log folder `serve` will use: --log-folder, else SYSTEM_TESTS_LOG_FOLDER, else ./logs.
folder=${SYSTEM_TESTS_LOG_FOLDER:-./logs}
previous=
for arg in "$@"; do
  [ "$previous" = --log-folder ] && folder=$arg
  case $arg in --log-folder=*) folder=${arg#--log-folder=} ;; esac
  previous=$arg
done

dir=$folder/interfaces
while [ ! -e "$dir" ]; do dir=$(dirname -- "$dir"); done
owner=$(stat -c %u -- "$dir")
group=$(stat -c %g -- "$dir")
if [ "$owner" = 0 ]; then
  umask 0000
  st_proxy "$@"
fi
exec setpriv --reuid "$owner" --regid "$group" --clear-groups -- node "$CLI" "$@"
