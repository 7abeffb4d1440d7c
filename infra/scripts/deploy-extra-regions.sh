#!/bin/sh
# azd postdeploy hook: azd deploys the package to the app tagged azd-service-name=monitor only.
# Every extra probing region (main.bicep `extraRegions`) runs the same package, deployed here.
# Needs the Azure CLI, signed in to the same subscription (az login / azure/login in CI).
set -eu

if [ -z "${EXTRA_REGION_APP_NAMES:-}" ]; then
  echo "No extra probing regions to deploy."
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

dotnet publish ./functions/ServerlessMonitor.Functions -c Release -o "$work/package"
if command -v zip >/dev/null 2>&1; then
  (cd "$work/package" && zip -qr "$work/package.zip" .)
else
  (cd "$work/package" && python3 -m zipfile -c "$work/package.zip" .)
fi

for app in $EXTRA_REGION_APP_NAMES; do
  echo "Deploying to $app"
  az functionapp deployment source config-zip \
    --resource-group "$AZURE_RESOURCE_GROUP" --name "$app" --src "$work/package.zip"
done
