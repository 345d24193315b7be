#!/usr/bin/env bash
# Builds the container image orgbox:latest from this checkout, with no network and no base image:
# the release binary, statically linked (glibc's crt-static: orgbox resolves no host names and
# loads no plugins, so it needs no shared library at run time), goes into a `FROM scratch`
# image (see ../../Dockerfile).
#
#   bash tests/container/build.sh
#
# ORGBOX_IMAGE names the image (default orgbox:latest). ORGBOX_BINARY packages an orgbox binary
# that is already built instead (a dynamically linked one is packaged with the shared libraries
# `ldd` names and their loader), which the test suite uses to skip the release build.
set -euo pipefail
cd "$(dirname "$0")/../.."

IMAGE="${ORGBOX_IMAGE:-orgbox:latest}"
BINARY="${ORGBOX_BINARY:-}"
if [[ -z "$BINARY" ]]; then
  TRIPLE="$(rustc -vV | sed -n 's/^host: //p')"
  # --target keeps these flags off build scripts and proc macros (which must stay dynamic) and
  # puts the static build in target/$TRIPLE/release, beside the ordinary one.
  RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static" \
    cargo build --release --locked --target "$TRIPLE" --bin orgbox
  BINARY="target/$TRIPLE/release/orgbox"
fi
[[ -x "$BINARY" ]] || { echo "build.sh: $BINARY is not an executable" >&2; exit 1; }

STAGE="$(mktemp -d)"
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE/rootfs" "$STAGE/data"
chmod 700 "$STAGE/data"
cp Dockerfile "$STAGE/Dockerfile"
cp "$BINARY" "$STAGE/rootfs/orgbox"
# Debug information is no use in the image (and most of a debug build's size).
if command -v strip >/dev/null 2>&1; then
  strip --strip-debug "$STAGE/rootfs/orgbox"
fi
# A dynamically linked binary brings the exact libraries it was linked against, and the loader.
# ldd's answer is read whole first: `ldd | grep -q` under pipefail fails whenever grep stops
# reading before ldd has written everything (SIGPIPE), which packaged no loader now and then.
DEPS="$(ldd "$BINARY" 2>/dev/null || true)"
if grep -q '=>\|ld-linux' <<<"$DEPS"; then
  for lib in $(grep -o '/[^ ]*' <<<"$DEPS"); do
    mkdir -p "$STAGE/rootfs$(dirname "$lib")"
    cp -L "$lib" "$STAGE/rootfs$lib"
  done
fi
# A dynamic binary without its loader would only say "exec /orgbox: no such file or directory"
# when the container starts: say here what is missing instead.
if command -v readelf >/dev/null 2>&1; then
  INTERP="$(readelf -l "$BINARY" | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')"
  if [[ -n "$INTERP" && ! -e "$STAGE/rootfs$INTERP" ]]; then
    echo "build.sh: $BINARY needs its loader $INTERP, which ldd did not name: ${DEPS:-nothing}" >&2
    exit 1
  fi
fi

docker build --quiet --tag "$IMAGE" "$STAGE" >/dev/null
echo "built $IMAGE ($(docker image inspect --format '{{.Size}}' "$IMAGE" | awk '{printf "%.1f MB", $1/1e6}'))"
