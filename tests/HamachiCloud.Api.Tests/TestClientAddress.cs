using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace HamachiCloud.Api.Tests;

/// <summary>
/// Test-only: TestServer has no client address, so a request may name one in
/// <see cref="Header"/> (runs before the ban check, like a real remote address would).
/// </summary>
public sealed class TestClientAddress : IStartupFilter
{
    public const string Header = "X-Test-Client-Ip";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((ctx, nextMiddleware) =>
        {
            if (IPAddress.TryParse(ctx.Request.Headers[Header].ToString(), out var address))
            {
                ctx.Connection.RemoteIpAddress = address;
            }

            return nextMiddleware(ctx);
        });
        next(app);
    };
}
