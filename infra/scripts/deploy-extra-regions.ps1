# azd postdeploy hook (Windows): same as deploy-extra-regions.sh.
$ErrorActionPreference = 'Stop'

if ([string]::IsNullOrWhiteSpace($env:EXTRA_REGION_APP_NAMES)) {
    Write-Host 'No extra probing regions to deploy.'
    exit 0
}

$work = Join-Path ([System.IO.Path]::GetTempPath()) ([System.IO.Path]::GetRandomFileName())
try {
    dotnet publish ./functions/ServerlessMonitor.Functions -c Release -o (Join-Path $work 'package')
    if ($LASTEXITCODE -ne 0) { throw 'dotnet publish failed' }
    $zip = Join-Path $work 'package.zip'
    Compress-Archive -Path (Join-Path $work 'package/*') -DestinationPath $zip

    foreach ($app in $env:EXTRA_REGION_APP_NAMES.Split(' ', [StringSplitOptions]::RemoveEmptyEntries)) {
        Write-Host "Deploying to $app"
        az functionapp deployment source config-zip --resource-group $env:AZURE_RESOURCE_GROUP --name $app --src $zip
        if ($LASTEXITCODE -ne 0) { throw "deployment to $app failed" }
    }
}
finally {
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
}
