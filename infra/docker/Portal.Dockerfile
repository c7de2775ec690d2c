# syntax=docker/dockerfile:1
# HamachiCloud Portal (web console): build with the .NET 10 SDK, run on the ASP.NET Core 10 runtime as non-root.
# Build context is the repository root (docker-compose.yml does this):
#   docker build -f infra/docker/Portal.Dockerfile -t hamachicloud-portal .
# Configuration from environment variables (docs/configuration.md, section Portal), e.g.
#   Portal__ApiUrl=https://api.example.com  Portal__PublicUrl=https://portal.example.com
# State: data-protection keys (cookie encryption) in /var/lib/hamachi-portal/keys; mount a volume.

# --- build ---------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Restore first, from the project files only, so the layer is reused until a project changes.
COPY global.json Directory.Build.props Directory.Packages.props BannedSymbols.txt .editorconfig ./
COPY Protocol/HamachiCloud.Protocol.csproj Protocol/
COPY Api/Contracts/HamachiCloud.Api.Contracts.csproj Api/Contracts/
COPY Portal/HamachiCloud.Portal.csproj Portal/
RUN dotnet restore Portal/HamachiCloud.Portal.csproj

COPY Protocol/ Protocol/
COPY Api/Contracts/ Api/Contracts/
COPY Portal/ Portal/
RUN dotnet publish Portal/HamachiCloud.Portal.csproj -c Release --no-restore -o /app -p:UseAppHost=false

# --- runtime -------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
RUN mkdir -p /var/lib/hamachi-portal/keys && chown -R "$APP_UID" /var/lib/hamachi-portal
COPY --from=build /app ./
ENV ASPNETCORE_HTTP_PORTS=8080 \
    Portal__KeyDirectory=/var/lib/hamachi-portal/keys
USER $APP_UID
EXPOSE 8080
VOLUME ["/var/lib/hamachi-portal"]
ENTRYPOINT ["dotnet", "HamachiCloud.Portal.dll"]
