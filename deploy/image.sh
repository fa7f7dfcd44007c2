#!/usr/bin/env bash
# Builds the gateway's image with podman (no Docker daemon needed), from the repository root's jar.
#   deploy/image.sh build [TAG]        the Containerfile as published (public base images; needs a registry)
#   deploy/image.sh build-local [TAG]  the same Containerfile on local stand-ins for its two public bases, made
#                                      from Debian packages (glibc) and this machine's JDK: for machines (and CI)
#                                      that reach no container registry
#   deploy/image.sh size TAG           the image's size in bytes
# Podman runs with runc, cgroupfs and no default ulimits (deploy/containers.conf): what works in a CI sandbox.
set -euo pipefail
cd "$(dirname "$0")/.."
export CONTAINERS_CONF=${CONTAINERS_CONF:-$PWD/deploy/containers.conf}
JAR=server/target/switchboard.jar
LOCAL_JDK_IMAGE=localhost/switchboard-build-jdk:25
LOCAL_BASE_IMAGE=localhost/switchboard-build-base:bookworm

need_jar() {
  [ -f "$JAR" ] || { echo "image.sh: $JAR is missing: run ./switchboard build first" >&2; exit 1; }
}

labels() {
  VERSION=$(sed -n 's/^version=//p' server/target/classes/switchboard-build.properties 2>/dev/null || true)
  REVISION=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
}

# A root filesystem with glibc and a nonroot user (uid 65532, as distroless has), nothing else.
rootfs() {
  local root=$1 debs
  debs=$(mktemp -d)
  (cd "$debs" && apt-get download -q libc6 libgcc-s1 >/dev/null 2>&1) || { echo "image.sh: apt-get download failed" >&2; exit 1; }
  for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$root"; done
  rm -rf "$debs"
  mkdir -p "$root/etc" "$root/tmp" "$root/home/nonroot"
  chmod 1777 "$root/tmp"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$root/etc/passwd"
  printf 'root:x:0:\nnonroot:x:65532:\n' > "$root/etc/group"
  printf 'hosts: files dns\n' > "$root/etc/nsswitch.conf"
  chown 65532:65532 "$root/home/nonroot"
}

local_bases() {
  if podman image exists "$LOCAL_BASE_IMAGE" && podman image exists "$LOCAL_JDK_IMAGE"; then return; fi
  local work jdk
  work=$(mktemp -d)
  rootfs "$work/base"
  tar -C "$work/base" -c . | podman import --change 'USER 65532:65532' - "$LOCAL_BASE_IMAGE" >/dev/null
  jdk=${JAVA_HOME:-$(ls -d /usr/lib/jvm/temurin-25* 2>/dev/null | head -n1)}
  [ -x "$jdk/bin/jlink" ] || { echo "image.sh: no JDK with jlink (set JAVA_HOME)" >&2; exit 1; }
  cp -a "$work/base" "$work/jdk"
  mkdir -p "$work/jdk/opt/java"
  cp -rL "$jdk" "$work/jdk/opt/java/openjdk" # -L: a packaged JDK links its cacerts outside itself
  tar -C "$work/jdk" -c . | podman import --change 'ENV PATH=/opt/java/openjdk/bin:/usr/bin:/bin' - "$LOCAL_JDK_IMAGE" >/dev/null
  rm -rf "$work"
}

build() { # $1: tag, then extra podman build arguments
  local tag=$1; shift
  need_jar
  labels
  podman build --quiet -f deploy/Containerfile --build-arg VERSION="$VERSION" --build-arg REVISION="$REVISION" \
    "$@" -t "$tag" . >/dev/null
  echo "$tag"
}

cmd=${1:-build}
case "$cmd" in
  build) build "${2:-localhost/switchboard:latest}" ;;
  build-local)
    local_bases
    build "${2:-localhost/switchboard:latest}" --build-arg JDK_IMAGE="$LOCAL_JDK_IMAGE" --build-arg BASE_IMAGE="$LOCAL_BASE_IMAGE" ;;
  size) podman image inspect --format '{{.Size}}' "$2" ;;
  *) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
