#!/bin/sh
# Writes delivery.json, the pipeline with which Delivery deploys Delivery (README, "Distributed"): three deployManifest
# stages carrying deploy/'s files as they are, in order: 0*.yaml (namespaces, configuration, RBAC), 1*.yaml (Redis,
# RabbitMQ), 2*.yaml (the services). Run it after changing a file in deploy/; a test fails while the two differ.
# The account that deploys is "kubernetes"; ACCOUNT=name ./render.sh names another.
set -eu
cd "$(dirname "$0")/.."
texts() { for f in "$@"; do jq -Rs . "$f"; done | jq -s .; }
jq -n --arg account "${ACCOUNT:-kubernetes}" \
  --argjson base "$(texts 0*.yaml)" --argjson data "$(texts 1*.yaml)" --argjson services "$(texts 2*.yaml)" '
  def stage($ref; $requires; $name; $manifests): {
    refId: $ref, requisiteStageRefIds: $requires, name: $name, type: "deployManifest",
    account: $account, moniker: {app: "delivery"}, source: "text", manifests: $manifests };
  {
    application: "delivery",
    name: "deploy-delivery",
    stages: [
      stage("1"; []; "Namespaces, configuration and RBAC"; $base),
      stage("2"; ["1"]; "Redis and RabbitMQ"; $data),
      stage("3"; ["2"]; "Delivery services"; $services)
    ]
  }' > pipeline/delivery.json
