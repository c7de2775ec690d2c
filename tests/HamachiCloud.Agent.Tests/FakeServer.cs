using System.Collections.Concurrent;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Crypto;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HamachiCloud.Agent.Tests;

/// <summary>Kestrel on 127.0.0.1 (ephemeral port) hosting <see cref="FakeHub"/> at the real hub path with MessagePack.</summary>
internal sealed class FakeServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeServer(WebApplication app, SigningKey serverKey, SigningKey helloKey, SigningPublicKey machineKey)
    {
        _app = app;
        ServerKey = serverKey;
        HelloKey = helloKey;
        MachineKey = machineKey;
    }

    /// <summary>The key the agent pinned (signs maps).</summary>
    public SigningKey ServerKey { get; }

    /// <summary>The key hello answers are signed with: <see cref="ServerKey"/>, or an impostor's.</summary>
    public SigningKey HelloKey { get; }

    public SigningPublicKey MachineKey { get; }

    public ConcurrentQueue<string> Calls { get; } = new();

    public string Url => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public static async Task<FakeServer> StartAsync(SigningKey serverKey, SigningKey helloKey, SigningPublicKey machineKey)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        FakeServer? server = null;
        builder.Services.AddSingleton(_ => server!);
        builder.Services.AddSignalR().AddMessagePackProtocol();
        var app = builder.Build();
        app.MapHub<FakeHub>(ControlProtocol.HubPath);
        server = new FakeServer(app, serverKey, helloKey, machineKey);
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
