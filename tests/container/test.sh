#!/usr/bin/env bash
# The container image as a CI job runs it: builds it (build.sh), starts it with its data in a
# volume and ports published on loopback only, waits for Docker's HEALTHCHECK (`orgbox health`),
# logs in with curl, checks the control plane's guard with and without ORGBOX_ADMIN_KEY, the
# HTTPS certificate's service name, one owner per volume, a restart on the same volume and
# HTTPS off; prints the image's size and its start time; removes what it made.
#
#   bash tests/container/test.sh
#
# Skips (exit 0, saying why) only where Docker cannot run at all: no docker CLI, or no daemon
# (.ci/run installs docker.io and starts dockerd first). ORGBOX_IMAGE and ORGBOX_BINARY are
# passed to build.sh; ORGBOX_REMOVE_IMAGE=1 removes the image at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."

skip() { echo "SKIPPED: the container image test: $*"; exit 0; }
command -v docker >/dev/null 2>&1 || skip "no docker CLI here (apt-get install docker.io)"
docker info >/dev/null 2>&1 || skip "no Docker daemon answers ($(docker info 2>&1 | tail -n 1)); start one (dockerd &) as .ci/run does"

IMAGE="${ORGBOX_IMAGE:-orgbox:latest}"
RUN="orgbox-test-$$"
KEY="ci-admin-key-$$-0123456789abcdef"
WORK="$(mktemp -d)"
CONTAINERS=()
VOLUMES=()
cleanup() {
  for c in "${CONTAINERS[@]}"; do docker rm -f -v "$c" >/dev/null 2>&1 || true; done
  for v in "${VOLUMES[@]}"; do docker volume rm -f "$v" >/dev/null 2>&1 || true; done
  if [[ "${ORGBOX_REMOVE_IMAGE:-0}" == 1 ]]; then docker rmi -f "$IMAGE" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "FAILED: $*" >&2; exit 1; }
ok() { echo "ok - $*"; }

bash tests/container/build.sh

# start NAME VOLUME [docker run flags...]: the image, ports on loopback, data in VOLUME.
start() {
  local name="$RUN-$1" volume="$RUN-$2"
  shift 2
  CONTAINERS+=("$name")
  VOLUMES+=("$volume")
  docker run -d --name "$name" --health-interval 1s -p 127.0.0.1::3080 -p 127.0.0.1::3443 \
    -v "$volume:/data" "$@" "$IMAGE" >/dev/null
}
port() { docker port "$RUN-$1" "$2/tcp" | head -n 1 | sed 's/.*://'; }
healthy() {
  for _ in $(seq 1 120); do
    [[ "$(docker inspect -f '{{.State.Health.Status}}' "$RUN-$1")" == healthy ]] && return 0
    [[ "$(docker inspect -f '{{.State.Running}}' "$RUN-$1")" == true ]] ||
      { docker logs "$RUN-$1" >&2; fail "$1 stopped"; }
    sleep 0.5
  done
  docker logs "$RUN-$1" >&2
  fail "$1 did not become healthy"
}
status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }

# A: the admin key from the environment, as a CI job passes it.
t0=$(date +%s%N)
start a data -e ORGBOX_ADMIN_KEY="$KEY"
HTTP=""
for _ in $(seq 1 200); do
  HTTP="$(port a 3080 || true)"
  [[ -n "$HTTP" ]] && curl -sf "http://127.0.0.1:$HTTP/api/v2/ping" >/dev/null 2>&1 && break
  sleep 0.05
done
STARTED_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
B="http://127.0.0.1:$HTTP"
healthy a
ok "healthy by its own HEALTHCHECK (orgbox health), first answer ${STARTED_MS} ms after docker run"
docker exec "$RUN-a" /orgbox health >/dev/null || fail "orgbox health in the container"

LOGIN=$(curl -s -X POST "$B/api/v2/user/login" -H 'Content-Type: application/json' \
  -d '{"email":"brennan@prestige-worldwide.test","password":"Prestige-Worldwide-2026","otp":"000000"}')
TOKEN=$(echo "$LOGIN" | grep -o '"access_token":"[^"]*"' | cut -d'"' -f4)
[[ "$TOKEN" == v2x* ]] || fail "login: $LOGIN"
[[ $(status "$B/api/v2/user/me" -H "Authorization: Bearer $TOKEN") == 200 ]] || fail "user/me"
ok "logs in with curl and reads /api/v2/user/me"

[[ $(status "$B/sandbox/health") == 401 ]] || fail "the control plane answered without the key"
[[ $(status "$B/sandbox/health" -H "Authorization: Bearer wrong") == 401 ]] || fail "a wrong key"
HEALTH=$(curl -s "$B/sandbox/health" -H "Authorization: Bearer $KEY")
[[ "$HEALTH" == *'"status":"ok"'* ]] || fail "health with the key: $HEALTH"
! docker logs "$RUN-a" 2>&1 | grep -q "$KEY" || fail "the log shows the admin key"
ok "ORGBOX_ADMIN_KEY guards the control plane (401 without, 401 wrong, 200 with; never logged)"

HTTPS="$(port a 3443)"
docker cp "$RUN-a:/data/tls/ca.pem" "$WORK/ca.pem" >/dev/null
PING=$(curl -s --cacert "$WORK/ca.pem" --resolve "orgbox:$HTTPS:127.0.0.1" "https://orgbox:$HTTPS/api/v2/ping")
[[ "$PING" == *'service is ok'* ]] || fail "HTTPS by the service name: $PING"
ok "HTTPS on 0.0.0.0:3443 with a certificate for the service name orgbox (ORGBOX_TLS_NAMES)"

[[ $(status -X POST "$B/sandbox/sandboxes" -H "Authorization: Bearer $KEY" \
  -H 'Content-Type: application/json' -d '{"name":"kept"}') == 201 ]] || fail "create a named sandbox"
start second data -e ORGBOX_ADMIN_KEY="$KEY"
for _ in $(seq 1 100); do
  [[ "$(docker inspect -f '{{.State.Running}}' "$RUN-second")" == false ]] && break
  sleep 0.1
done
[[ "$(docker inspect -f '{{.State.ExitCode}}' "$RUN-second")" != 0 ]] || fail "a second server took the volume"
docker logs "$RUN-second" 2>&1 | grep -q "data directory /data is in use by orgbox server" ||
  fail "the second server's message: $(docker logs "$RUN-second" 2>&1)"
ok "a second container on the same volume exits at once, naming the holder"

docker restart "$RUN-a" >/dev/null
healthy a
B="http://127.0.0.1:$(port a 3080)"
[[ $(status "$B/sandbox/sandboxes/kept" -H "Authorization: Bearer $KEY") == 200 ]] || fail "the volume kept nothing"
ok "a restart on the same volume keeps the data"
docker stop "$RUN-a" >/dev/null

# C: no key configured, beyond loopback: one is generated and printed in the log.
start c fresh
healthy c
C="http://127.0.0.1:$(port c 3080)"
GENERATED=$(docker logs "$RUN-c" 2>/dev/null | sed -n 's/.*Bearer \([0-9a-f]*\) (generated.*/\1/p')
[[ -n "$GENERATED" ]] || fail "no generated key in the log"
[[ $(status "$C/sandbox/health") == 401 ]] || fail "open without a key"
[[ $(status "$C/sandbox/health" -H "Authorization: Bearer $GENERATED") == 200 ]] || fail "the generated key"
ok "without ORGBOX_ADMIN_KEY a key is generated, printed in the log and required"

# D: HTTPS off.
start d off -e ORGBOX_ADMIN_KEY="$KEY" -e ORGBOX_TLS_LISTEN=off
healthy d
D="http://127.0.0.1:$(port d 3080)"
[[ "$(curl -s "$D/sandbox/health" -H "Authorization: Bearer $KEY")" == *'"https":null'* ]] || fail "HTTPS still on"
ok "ORGBOX_TLS_LISTEN=off turns HTTPS off"

SIZE=$(docker image inspect --format '{{.Size}}' "$IMAGE" | awk '{printf "%.1f MB", $1/1e6}')
echo "image $IMAGE: $SIZE; first answer ${STARTED_MS} ms after docker run (fresh volume)"
echo "container image test passed"
