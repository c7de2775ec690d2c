# syntax=docker/dockerfile:1
# HamachiCloud Relay: UDP relay + STUN + WebSocket fallback (Relay/README.md). Build with the .NET 10
# SDK, run on the ASP.NET Core 10 runtime as non-root. Build context is the repository root:
#   docker build -f infra/docker/Relay.Dockerfile -t hamachicloud-relay .
# Ignore rules: infra/docker/Relay.Dockerfile.dockerignore.
#
# Configuration comes from environment variables (docs/configuration.md, section Relay), e.g.
#   Relay__Id=<guid>  Relay__ListenAddress=<public IP>  Relay__ApiUrl=https://api.example.com
#   Relay__RegistrationSecret=<the Api's Relays__RegistrationSecret>  Relay__WebSocketUrl=wss://relay.example.com/relay
# Run it with host networking (docker-compose.yml does): the relay must see agents' real source
# addresses and ports, and STUN must answer from the public address it reports; Docker's UDP port
# publishing rewrites both. Relay__ListenAddress must be a concrete address of the host.

# --- build ---------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

COPY global.json Directory.Build.props Directory.Packages.props BannedSymbols.txt .editorconfig ./
COPY Protocol/HamachiCloud.Protocol.csproj Protocol/
COPY Relay/HamachiCloud.Relay.csproj Relay/
RUN dotnet restore Relay/HamachiCloud.Relay.csproj

COPY Protocol/ Protocol/
COPY Relay/ Relay/
RUN dotnet publish Relay/HamachiCloud.Relay.csproj -c Release --no-restore -o /app -p:UseAppHost=false

# --- runtime -------------------------------------------------------------------------------------
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./

# WebSocket fallback, /health and /counters on 5190 (all interfaces; put TLS in front or give
# Kestrel a certificate for wss://, docs/configuration.md). UDP relay on Relay__Port (3478), STUN
# also on Relay__AlternatePort (3479) and Relay__AlternateAddress.
ENV Urls=http://0.0.0.0:5190
USER $APP_UID
EXPOSE 5190 3478/udp 3479/udp
ENTRYPOINT ["dotnet", "HamachiCloud.Relay.dll"]
