#!/usr/bin/env bash
# Publishes every host (framework-dependent, Release) into one folder per service, the built UI into
# gate's, and samples/hello (what the local cloud deploys): the context of the image's "prebuilt" mode.
# Usage: docker/publish.sh OUT [dotnet publish options, e.g. --no-build when the hosts are built already]
# CONFIGURATION (default Release) names the build configuration.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "$1"); shift
declare -A hosts=(
  [orchestrator]=services/orchestrator/Delivery.Orchestrator.Host/Delivery.Orchestrator.Host.csproj
  [gate]=services/gate/Delivery.Gate.Host/Delivery.Gate.Host.csproj
  [clouddriver]=services/clouddriver/Delivery.Clouddriver.Host/Delivery.Clouddriver.Host.csproj
  [echo]=services/echo/Delivery.Echo.Host/Delivery.Echo.Host.csproj
  [canary-judge]=services/canary-judge/Delivery.CanaryJudge.Host/Delivery.CanaryJudge.Host.csproj
  [hello]=samples/hello/Hello.csproj
  [probe]=docker/probe/Delivery.Probe.csproj
)
rm -rf "$out"; mkdir -p "$out"
for service in "${!hosts[@]}"; do
  dotnet publish "${hosts[$service]}" -c "${CONFIGURATION:-Release}" -o "$out/$service" -p:UseAppHost=false --nologo -v q "$@" >/dev/null
done
if [ -f ui/dist/index.html ]; then
  cp -r ui/dist "$out/gate/ui"
else
  echo "ui/dist not built (npm ci && npm run build in ui/): gate will serve the API only" >&2
fi
