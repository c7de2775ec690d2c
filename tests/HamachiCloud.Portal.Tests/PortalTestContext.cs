using Bunit;
using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Portal.ApiAccess;
using HamachiCloud.Portal.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace HamachiCloud.Portal.Tests;

/// <summary>
/// A bUnit context with MudBlazor, loose JS interop, and a <see cref="HamachiClient"/> talking to <see cref="Api"/>.
/// Disposed asynchronously (xunit's <see cref="IAsyncLifetime"/>): MudBlazor's services are async-disposable only.
/// </summary>
public abstract class PortalTestContext : BunitContext, IAsyncLifetime
{
    protected PortalTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddLogging();
        Services.AddSingleton<ApiCalls>();
        Services.AddSingleton(Options.Create(new PortalOptions { ApiUrl = "https://api.example.test" }));
        Services.AddSingleton(new HamachiClient(new HttpClient(Api) { BaseAddress = new Uri("https://api.example.test/") }));
    }

    protected QueuedApi Api { get; } = new();

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();
}
