# syntax=docker/dockerfile:1
# HamachiCloud Api: build with the .NET 10 SDK, run on the ASP.NET Core 10 runtime as non-root.
# Build context is the repository root (docker-compose.yml does this):
#   docker build -f infra/docker/Api.Dockerfile -t hamachicloud-api .
# Ignore rules: infra/docker/Api.Dockerfile.dockerignore (BuildKit reads it for this Dockerfile;
# it keeps host bin/ and obj/ out, whose restore output would clobber the container's).
#
# Configuration comes from environment variables (docs/configuration.md), e.g.
#   Database__Provider=Postgres  Database__ConnectionString=Host=...  Redis__Connection=redis:6379
# State: Identity__KeyDirectory defaults here to /var/lib/hamachi/keys (token signing keys and
# data-protection keys; share it between Api nodes). Mount a volume on /var/lib/hamachi.

# --- build ---------------------------------------------------------------------------------------
# sdk:10.0 floats to the newest 10.0 SDK, which satisfies global.json (10.0.401, latestFeature).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Restore first, from the project files only, so the layer is reused until a project changes.
COPY global.json Directory.Build.props Directory.Packages.props BannedSymbols.txt .editorconfig ./
COPY Protocol/HamachiCloud.Protocol.csproj Protocol/
COPY Data/HamachiCloud.Data.csproj Data/
COPY Migrations/HamachiCloud.Migrations.csproj Migrations/
COPY Api/Contracts/HamachiCloud.Api.Contracts.csproj Api/Contracts/
COPY Api/Server/HamachiCloud.Api.csproj Api/Server/
RUN dotnet restore Api/Server/HamachiCloud.Api.csproj

COPY Protocol/ Protocol/
COPY Data/ Data/
COPY Migrations/ Migrations/
COPY Api/Contracts/ Api/Contracts/
COPY Api/Server/ Api/Server/
RUN dotnet publish Api/Server/HamachiCloud.Api.csproj -c Release --no-restore -o /app -p:UseAppHost=false

# --- runtime -------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app

# State directory owned by the image's non-root user ($APP_UID, "app"); a new named volume
# mounted here inherits the ownership.
RUN mkdir -p /var/lib/hamachi/keys && chown -R "$APP_UID" /var/lib/hamachi

COPY --from=build /app ./

ENV ASPNETCORE_HTTP_PORTS=8080 \
    Identity__KeyDirectory=/var/lib/hamachi/keys \
    Database__ConnectionString="Data Source=/var/lib/hamachi/hamachi.db"

USER $APP_UID
EXPOSE 8080
VOLUME ["/var/lib/hamachi"]
ENTRYPOINT ["dotnet", "HamachiCloud.Api.dll"]
