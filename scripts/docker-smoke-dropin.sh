#!/usr/bin/env bash
# Docker smoke of the drop-in (issues 14 and 15): the image run exactly as system-tests runs it
# with contrib/system-tests/st-proxy.patch applied. Needs root, Debian 12, a few minutes; sends
# traffic to 127.0.0.1 only; removes the containers it starts. Not part of `npm test`.
#
#   bash scripts/docker-smoke-dropin.sh [base|build|shared|run|all]   (default: all)
#
# base, build: ../shared/tools/docker-smoke.sh's own steps (buildah/podman from Debian, a local
#   stand-in for node:<major>-bookworm-slim) with NODE_BIN defaulting to the npm package node (the
#   LTS the Dockerfile names). Node >= 25 links libatomic.so.1, which the real node:26 slim image
#   ships and debootstrap's minbase lacks: the stand-in gets Debian's libatomic1 added.
# shared: that script's own run checks. run: this script's checks. all: every step.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
STEP=${1:-all}
SHARED_SMOKE=${SHARED_SMOKE:-$ROOT/../shared/tools/docker-smoke.sh}
export W=${W:-${TMPDIR:-/tmp}/st-docker-dropin}
export SRC=$ROOT
export NODE_BIN=${NODE_BIN:-$ROOT/node_modules/node/bin/node}
[ -f "$SHARED_SMOKE" ] || { echo "no $SHARED_SMOKE (../shared beside the repository)" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "needs root (buildah/podman with a private storage root)" >&2; exit 2; }
mkdir -p "$W"

# The same private storage and podman options as the shared script (its comments say why).
ST=(--root "$W/storage" --runroot "$W/run" --storage-driver "${DRIVER:-overlay}")
PR=(podman "${ST[@]}" --runtime "${RUNTIME:-runc}" --cgroup-manager cgroupfs --events-backend file)
RUNOPTS=(--ulimit nofile=20000:20000 --ulimit nproc=32768:32768)
IMG=localhost/st-proxy:latest
HOST_UID=1001 # the host user of GitHub-hosted runners
LOG=logs_dropin # the scenario's log folder, as system-tests names it (logs_<scenario>)

FAILS=0
check() { if eval "$2"; then echo "CHECK OK   $1"; else echo "CHECK FAIL $1"; FAILS=$((FAILS + 1)); fi; }
stop() { "${PR[@]}" stop -t 10 "$1" >/dev/null 2>&1 || true; "${PR[@]}" rm -f "$1" >/dev/null 2>&1 || true; }
as_host_user() { setpriv --reuid $HOST_UID --regid $HOST_UID --clear-groups "$@"; }
# What system-tests' wait_for_health does: the healthcheck command, retried (bounded), via exec.
healthy() { for _ in $(seq 1 30); do "${PR[@]}" exec "$1" "${@:2}" >/dev/null 2>&1 && return 0; sleep 0.5; done; return 1; }
exit_code() { "${PR[@]}" inspect -f '{{.State.ExitCode}}' "$1"; }
main_uid() { awk '/^Uid:/{print $2}' "/proc/$("${PR[@]}" inspect -f '{{.State.Pid}}' "$1")/status"; }

base() {
  # debootstrap with libatomic1 included, for the shared script's stand-in base (see above)
  mkdir -p "$W/bin"
  printf '#!/bin/sh\nexec /usr/sbin/debootstrap --include=libatomic1 "$@"\n' > "$W/bin/debootstrap"
  chmod 0755 "$W/bin/debootstrap"
  command -v /usr/sbin/debootstrap >/dev/null || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y buildah podman debootstrap runc; }
  PATH="$W/bin:$PATH" bash "$SHARED_SMOKE" base
}

image_facts() {
  echo "== image"
  "${PR[@]}" image inspect "$IMG" --format 'size={{.Size}} bytes user={{.Config.User}} entrypoint={{.Config.Entrypoint}} cmd={{.Config.Cmd}}'
  echo "base image: $("${PR[@]}" image inspect "docker.io/library/node:$("$NODE_BIN" --version | sed 's/^v\([0-9]*\).*/\1/')-bookworm-slim" --format '{{.Size}}') bytes"
  "${PR[@]}" run --rm "${RUNOPTS[@]}" --entrypoint sh "$IMG" -c 'node --version; du -sh /app/node_modules /app/dist /app/schemas; ls /app/node_modules | tr "\n" " "; echo'
  check "node_modules holds production dependencies only" \
    '! "${PR[@]}" run --rm "${RUNOPTS[@]}" --entrypoint sh "$IMG" -c "ls -d node_modules/typescript node_modules/tsx node_modules/dd-trace node_modules/dd-trace-6 node_modules/node node_modules/@types 2>/dev/null" | grep -q .'
}

# The proxy role, as the patched ProxyContainer runs it: working dir /app, only the log folder's
# interfaces/ mounted (owned by uid 1001, mode 0755), SYSTEM_TESTS_LOG_FOLDER=./logs_<scenario>,
# the two mock files at /app/logs/, the CA folder read-only with --confdir.
proxy_role() {
  local ipv6=$1 name=st-dropin-proxy host=localhost
  [ "$ipv6" = True ] && host='[::1]'
  echo "== proxy role (SYSTEM_TESTS_IPV6=$ipv6), log folder owned by uid $HOST_UID mode 0755"
  local st=$W/system-tests
  rm -rf "$st"; mkdir -p "$st/$LOG/interfaces" "$st/utils/proxy/.mitmproxy"
  cp "$ROOT/../shared/ca/mitmproxy-ca.pem" "$ROOT/../shared/ca/mitmproxy-ca-cert.pem" "$st/utils/proxy/.mitmproxy/"
  chmod 0644 "$st/utils/proxy/.mitmproxy/"*
  printf '[\n  {\n    "type": "SetSpanEventFlags",\n    "span_events": true\n  }\n]' > "$st/$LOG/internal_mocked_tracer_responses.json"
  printf '[]' > "$st/$LOG/internal_mocked_backend_responses.json"
  chown -R $HOST_UID:$HOST_UID "$st"; chmod 0755 "$st/$LOG" "$st/$LOG/interfaces"
  stop $name
  "${PR[@]}" run -d --name $name --network host "${RUNOPTS[@]}" -w /app \
    -e SYSTEM_TESTS_LOG_FOLDER=./$LOG -e SYSTEM_TESTS_MOCKED_BACKEND=True -e SYSTEM_TESTS_IPV6=$ipv6 \
    -e DD_SITE=datad0g.com -e DD_API_KEY=smoke-api-key-0123456789 \
    -v "$st/$LOG/interfaces/:/app/$LOG/interfaces:rw" \
    -v "$st/$LOG/internal_mocked_tracer_responses.json:/app/logs/internal_mocked_tracer_responses.json:ro" \
    -v "$st/$LOG/internal_mocked_backend_responses.json:/app/logs/internal_mocked_backend_responses.json:ro" \
    -v "$st/utils/proxy/.mitmproxy:/app/utils/proxy/.mitmproxy:ro" \
    "$IMG" serve --confdir /app/utils/proxy/.mitmproxy --agent-target builtin >/dev/null
  check "healthcheck: st-proxy healthcheck $host:8126 (exec, as system-tests)" "healthy $name st-proxy healthcheck '$host:8126'"
  check "healthcheck fails on a port nobody listens on" "! ${PR[*]} exec $name st-proxy healthcheck --timeout 1 '$host:8199' >/dev/null 2>&1"
  [ "$ipv6" = True ] && { "${PR[@]}" logs $name 2>&1 | sed -n 1,3p; stop $name; return; }
  echo "main process uid: $(main_uid $name)"
  check "st-proxy runs as the log folder's owner (uid $HOST_UID)" '[ "$(main_uid $name)" = $HOST_UID ]'
  printf '\x90' > "$W/empty-traces.msgpack"
  check "PUT /v0.4/traces answered 200" '[ "$(curl -sS -o /dev/null -w "%{http_code}" -X PUT --data-binary @"$W/empty-traces.msgpack" -H "Content-Type: application/msgpack" http://127.0.0.1:8126/v0.4/traces)" = 200 ]'
  curl -sS -o "$W/info.body" http://127.0.0.1:8126/info
  check "GET /info shows the mock file mounted at /app/logs/ (span_events true)" 'grep -q "\"span_events\": *true" "$W/info.body"'
  # the agent's backend traffic: CONNECT + TLS signed by the mounted CA, answered by the mocked backend
  check "CONNECT :8200 to the intake, TLS verified against the mounted CA" \
    '[ "$(curl -sS -o /dev/null -w "%{http_code}" --proxy http://127.0.0.1:8200 --cacert "$st/utils/proxy/.mitmproxy/mitmproxy-ca-cert.pem" -H "Content-Type: application/json" -d "{\"series\": []}" https://api.datad0g.com/api/v2/series)" = 202 ]'
  check "dumps written under interfaces/ (library, agent)" 'ls "$st/$LOG/interfaces/library/"*_v0.4_traces.json "$st/$LOG/interfaces/agent/"*_api_v2_series.json >/dev/null'
  local dump; dump=$(ls "$st/$LOG/interfaces/library/"*_v0.4_traces.json | sed -n 1,1p)
  echo "log_filename: $(grep -o '"log_filename": "[^"]*"' "$dump")"
  check "a dump's log_filename opens from system-tests' root, as the host reads it" \
    '(cd "$st" && test -f "$(sed -n "s/.*\"log_filename\": \"\([^\"]*\)\".*/\1/p" "$dump" | sed -n 1,1p)")'
  check "validate passes on the dumps (inside the container)" '"${PR[@]}" exec $name st-proxy validate ./$LOG >/dev/null'
  local t0=$SECONDS; "${PR[@]}" stop -t 10 $name >/dev/null
  echo "stopped in $((SECONDS - t0)) s, exit $(exit_code $name)"
  check "SIGTERM: exit 0 within the stop timeout" '[ "$(exit_code $name)" = 0 ] && [ $((SECONDS - t0)) -lt 10 ]'
  "${PR[@]}" logs $name 2>&1 | tail -3
  echo "== what st-proxy made in the host folder"; find "$st/$LOG/interfaces" -printf '%M %u:%g %p\n' | sort -k3 | sed "s|$st/||" | sed -n 1,20p
  check "every file and folder st-proxy made belongs to uid $HOST_UID" '[ -z "$(find "$st/$LOG/interfaces" ! -uid $HOST_UID)" ]'
  check "uid $HOST_UID reads every file" 'find "$st/$LOG/interfaces" -type f -print0 | as_host_user xargs -0 cat >/dev/null'
  check "uid $HOST_UID deletes everything" 'as_host_user find "$st/$LOG/interfaces" -mindepth 1 -delete && [ -z "$(ls -A "$st/$LOG/interfaces")" ]'
  stop $name
}

# A root-owned log folder, mode 0777: st-proxy stays root with umask 0, so another host uid can
# still read and delete what it made. (A root-owned 0755 folder, which Docker makes for a missing
# -v source, is the host's root's alone, whoever writes in it.)
root_folder() {
  echo "== root-owned log folder, mode 0777"
  local name=st-dropin-root logs=$W/logs-root
  rm -rf "$logs"; mkdir -p "$logs/interfaces"; chmod 0777 "$logs/interfaces"
  stop $name
  "${PR[@]}" run -d --name $name --network host "${RUNOPTS[@]}" -v "$logs/interfaces:/app/logs/interfaces" "$IMG" \
    serve --agent-target builtin --mocked-backend >/dev/null
  check "healthcheck (root-owned folder)" "healthy $name st-proxy healthcheck 8126"
  curl -sS -o /dev/null -X PUT --data-binary @"$W/empty-traces.msgpack" -H 'Content-Type: application/msgpack' http://127.0.0.1:8126/v0.4/traces
  stop $name
  check "uid $HOST_UID deletes what root made there" 'as_host_user find "$logs/interfaces" -mindepth 1 -delete && [ -z "$(ls -A "$logs/interfaces")" ]'
}

# The CA cannot be had (an empty read-only --confdir): serve must exit at once, non-zero, one line.
ca_failure() {
  echo "== CA failure: empty read-only --confdir"
  local name=st-dropin-noca
  rm -rf "$W/no-ca" "$W/logs-noca"; mkdir -p "$W/no-ca" "$W/logs-noca/interfaces"; chown -R $HOST_UID:$HOST_UID "$W/logs-noca"
  stop $name
  local t0=$SECONDS
  "${PR[@]}" run --name $name --network host "${RUNOPTS[@]}" -v "$W/no-ca:/ca:ro" -v "$W/logs-noca/interfaces:/app/logs/interfaces" "$IMG" \
    serve --confdir /ca --agent-target builtin >"$W/noca.out" 2>&1 &
  local waiter=$!
  for _ in $(seq 1 40); do kill -0 $waiter 2>/dev/null || break; sleep 0.5; done
  local elapsed=$((SECONDS - t0))
  if kill -0 $waiter 2>/dev/null; then echo "still running after ${elapsed} s: stopping it"; "${PR[@]}" stop -t 10 $name >/dev/null; fi
  wait $waiter || true
  echo "exit $(exit_code $name) after ${elapsed} s; output:"; sed 's/^/  | /' "$W/noca.out"
  check "exits by itself, non-zero" '[ "$(exit_code $name)" != 0 ] && [ "$(exit_code $name)" != 137 ] && [ $elapsed -lt 20 ]'
  check "says why in one line" '[ "$(grep -c . "$W/noca.out")" = 1 ]'
  stop $name
}

# The lambda-proxy role, as the patched LambdaProxyContainer runs it: no volume, RIE_HOST,
# RIE_PORT and LAMBDA_EVENT_TYPE from the environment, port 7777; an RIE stand-in on the host.
lambda_role() {
  echo "== lambda-proxy role (no /app volume)"
  local name=st-dropin-lambda
  "$NODE_BIN" -e '
    const http = require("node:http");
    http.createServer((req, res) => {
      let body = ""; req.on("data", (c) => (body += c)); req.on("end", () => {
        const event = JSON.parse(body || "{}");
        require("node:fs").appendFileSync(process.argv[1], JSON.stringify({ url: req.url, path: event.path }) + "\n");
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify({ statusCode: 200, headers: { "content-type": "text/plain" }, body: "from the function" }));
      });
    }).listen(18080, "127.0.0.1");' "$W/rie-events.jsonl" &
  local rie=$!
  rm -f "$W/rie-events.jsonl"
  stop $name
  "${PR[@]}" run -d --name $name --network host "${RUNOPTS[@]}" \
    -e RIE_HOST=127.0.0.1 -e RIE_PORT=18080 -e LAMBDA_EVENT_TYPE=apigateway-rest "$IMG" lambda-proxy >/dev/null
  check "healthcheck: st-proxy healthcheck http://localhost:7777/healthcheck" "healthy $name st-proxy healthcheck http://localhost:7777/healthcheck"
  check "GET /hello → an API Gateway REST event to the RIE → the function's answer" \
    '[ "$(curl -sS http://127.0.0.1:7777/hello)" = "from the function" ] && grep -q "\"path\":\"/hello\"" "$W/rie-events.jsonl"'
  "${PR[@]}" stop -t 10 $name >/dev/null
  check "lambda-proxy stops on SIGTERM with exit 0" '[ "$(exit_code $name)" = 0 ]'
  "${PR[@]}" logs $name 2>&1 | tail -3
  stop $name
  kill $rie
}

run() {
  image_facts
  proxy_role False
  proxy_role True
  root_folder
  ca_failure
  lambda_role
  echo "== leftover containers: $("${PR[@]}" ps -a --format '{{.Names}}' | tr '\n' ' ')"
  echo "== $FAILS failed check(s)"
  return "$FAILS"
}

case "$STEP" in
  base) base ;;
  build) bash "$SHARED_SMOKE" build ;;
  shared) bash "$SHARED_SMOKE" run ;;
  run) run ;;
  all) base; bash "$SHARED_SMOKE" build; bash "$SHARED_SMOKE" run || true; run ;;
  *) echo "unknown step $STEP (base|build|shared|run|all)" >&2; exit 2 ;;
esac
