using System.Net;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Relay.Core;
using HamachiCloud.Relay.Hosting;
using HamachiCloud.Relay.Stun;
using Microsoft.Extensions.Options;

// Composition root of the relay: validated options (a bad key stops the start, named), the pure core, the UDP
// sockets (relay + STUN), the WebSocket fallback (admission capped), the Api heartbeat, /health and /counters (token).
var builder = WebApplication.CreateBuilder(args);
var section = builder.Configuration.GetSection(RelayOptions.Section);
RelayOptions options;
try
{
    options = section.Get<RelayOptions>() ?? new RelayOptions();
}
catch (InvalidOperationException e)
{
    await Console.Error.WriteLineAsync($"relay: configuration error in section {RelayOptions.Section}: {e.Message}");
    return 2;
}

var validation = new RelayOptions.Validator().Validate(null, options);
if (validation.Failed)
{
    await Console.Error.WriteLineAsync("relay: configuration error: " + string.Join("; ", validation.Failures));
    return 2;
}

// ASPNETCORE_FORWARDEDHEADERS_ENABLED=true would make the host trust every peer's X-Forwarded-For (bans bypassed).
if (string.Equals(builder.Configuration["ForwardedHeaders_Enabled"], "true", StringComparison.OrdinalIgnoreCase))
{
    await Console.Error.WriteLineAsync("relay: configuration error: ForwardedHeaders_Enabled (ASPNETCORE_FORWARDEDHEADERS_ENABLED) trusts every peer's X-Forwarded-For; unset it and list the proxies in Relay:KnownProxies or Relay:KnownNetworks");
    return 2;
}

builder.Services.AddOptions<RelayOptions>().Bind(section).ValidateOnStart();
builder.Services.AddSingleton<IValidateOptions<RelayOptions>, RelayOptions.Validator>();
builder.Services.AddSingleton(TimeProvider.System);
using var random = System.Security.Cryptography.RandomNumberGenerator.Create();
var core = new RelayCore(options.Id, options.MaxBindings, random, options.HandshakesPerSecondPerAddress);
if (!string.IsNullOrWhiteSpace(options.ServerIdentityKey) && SigningPublicKey.TryParse(options.ServerIdentityKey, out var configuredKey))
{
    core.SetIssuer(configuredKey!);
}

core.SetBans(options.BannedRanges.Select(r => IPNetwork.Parse(r)).ToList());
var sockets = new StunSockets(
    IPAddress.Parse(options.ListenAddress),
    options.Port,
    string.IsNullOrWhiteSpace(options.AlternateAddress) ? null : IPAddress.Parse(options.AlternateAddress),
    options.AlternatePort);
builder.Services.AddSingleton(core);
builder.Services.AddSingleton(sockets);
builder.Services.AddSingleton(new StunResponder(sockets));
builder.Services.AddSingleton<RelayDispatcher>();
var gate = new WebSocketGate(options.MaxWebSockets, options.MaxWebSocketsPerAddress);
builder.Services.AddHostedService<UdpRelayService>();
builder.Services.AddSingleton<RelayBanState>();
builder.Services.AddHostedService<HeartbeatService>();
builder.Services.AddHostedService<BanWatchService>();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase);

var app = builder.Build();
if (options.TrustsAnyProxy)
{
    // First, so the WebSocket's ban checks see the client: applied only when the direct peer is a listed proxy;
    // a peer without an IP address (Unix socket) is never trusted.
    var forwarded = options.ToForwardedHeadersOptions();
    app.Logger.LogInformation("X-Forwarded-For (limit {Limit}) is trusted from {Proxies} {Networks}",
        forwarded.ForwardLimit, string.Join(", ", options.KnownProxies), string.Join(", ", options.KnownNetworks));
    app.UseWhen(ctx => ctx.Connection.RemoteIpAddress is not null, branch => branch.UseForwardedHeaders(forwarded));
}

app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
var bindWithin = TimeSpan.FromSeconds(options.WebSocketBindSeconds);
app.Map(WebSocketRelay.Path, (HttpContext context, RelayCore c, RelayDispatcher d, TimeProvider t) => WebSocketRelay.HandleAsync(context, c, d, gate, bindWithin, t));
app.MapGet("/health", (RelayCore c) =>
{
    var counters = c.Snapshot();
    var body = new { status = c.HasIssuer ? "ok" : "no_server_key", id = options.Id, name = options.Name, bindings = counters.Bindings };
    return c.HasIssuer ? Results.Ok(body) : Results.Json(body, statusCode: StatusCodes.Status503ServiceUnavailable);
});
var countersAccess = new CountersAccess(options.EffectiveCountersToken);
app.MapGet("/counters", (HttpContext context, RelayCore c) =>
    countersAccess.Allows(context) ? Results.Ok(c.Snapshot() with { WebSockets = gate.Snapshot() }) : countersAccess.Refusal());

try
{
    await app.RunAsync();
}
catch (InvalidOperationException e) when (e.Message.StartsWith("bind UDP", StringComparison.Ordinal))
{
    await Console.Error.WriteLineAsync("relay: " + e.Message);
    return 2;
}

return 0;
