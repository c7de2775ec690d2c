using Bunit;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Portal.ApiAccess;
using HamachiCloud.Portal.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;

namespace HamachiCloud.Portal.Tests.Support;

/// <summary>
/// bUnit with MudBlazor, the typed client over <see cref="ApiStub"/>, the live twin and a fake clock.
/// Disposed asynchronously (MudBlazor's services are IAsyncDisposable only; xunit calls this first).
/// </summary>
public abstract class PortalTestContext : BunitContext, IAsyncLifetime
{
    protected static readonly DateTimeOffset Now = new(2025, 5, 12, 14, 0, 0, TimeSpan.Zero);

    protected PortalTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<TimeProvider>(Clock);
        Services.AddSingleton(new HamachiClient(new HttpClient(Api) { BaseAddress = new Uri("http://api.test/") }));
        Services.AddSingleton(new ApiCalls(NullLogger<ApiCalls>.Instance));
        Services.AddSingleton<IPortalLive>(Live);
        Prerendered = AddBunitPersistentComponentState();
        SetRendererInfo(new RendererInfo("Server", isInteractive: true)); // the circuit's render; tests of the prerender set it to static
    }

    /// <summary>What a prerender handed over (Persist before rendering) or stores (TriggerOnPersisting after).</summary>
    protected Bunit.TestDoubles.BunitPersistentComponentState Prerendered { get; }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    protected ApiStub Api { get; } = new();

    protected MemoryPortalLive Live { get; } = new();

    protected FakeTimeProvider Clock { get; } = new(Now);
}
