#!/usr/bin/env bash
# Installs what the test suite needs from the OS packages, only when missing: redis-server (cluster and
# history tests), chromium + chromium-driver (browser end-to-end tests), Node.js + npm (JS SDK tests), podman +
# runc (the container image's build and run), openssl (test certificates), certutil (Chromium trusting the test
# CA), unzip (the helm binary of the chart's test), iproute2 and procps (the fault run's network namespaces,
# links and signals).
# Needs root (or sudo) on Debian/Ubuntu; elsewhere it says what to install.
set -euo pipefail
need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || need+=(redis-tools)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v mvn >/dev/null 2>&1 || need+=(maven)
command -v podman >/dev/null 2>&1 || need+=(podman)
command -v runc >/dev/null 2>&1 || need+=(runc)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v certutil >/dev/null 2>&1 || need+=(libnss3-tools)
command -v unzip >/dev/null 2>&1 || need+=(unzip)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v tc >/dev/null 2>&1 || need+=(iproute2)
command -v kill >/dev/null 2>&1 || need+=(procps)
[ ${#need[@]} -eq 0 ] && exit 0
echo "install-deps: installing ${need[*]}" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
if command -v apt-get >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "install-deps: please install: ${need[*]}" >&2
  exit 1
fi
