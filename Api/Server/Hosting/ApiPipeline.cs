using HamachiCloud.Api.Accounts;
using HamachiCloud.Api.Audit;
using HamachiCloud.Api.Bans;
using HamachiCloud.Api.Billing;
using HamachiCloud.Api.ControlPlane;
using HamachiCloud.Api.Devices;
using HamachiCloud.Api.Health;
using HamachiCloud.Api.Identity;
using HamachiCloud.Api.Jobs;
using HamachiCloud.Api.Live;
using HamachiCloud.Api.Members;
using HamachiCloud.Api.Networks;
using HamachiCloud.Api.Paths;
using HamachiCloud.Api.Plans;
using HamachiCloud.Api.Relays;
using HamachiCloud.Api.Routes;
using HamachiCloud.Api.Sessions;
using HamachiCloud.Api.SetupKeys;
using HamachiCloud.Api.Support;
using HamachiCloud.Api.TwoFactor;
using Hangfire;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace HamachiCloud.Api.Hosting;

/// <summary>The middleware order and every endpoint of the Api.</summary>
internal static class ApiPipeline
{
    public static void UseHamachiApi(this WebApplication app)
    {
        app.UseApiSecurityHeaders();
        app.UseMiddleware<CorrelationIdMiddleware>();
        app.UseTrustedForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages(WriteStatusProblemAsync);
        app.UseMiddleware<BanMiddleware>();
        app.UseRouting();
        app.UseRateLimiter();
        app.UsePortalAccessToken();
        app.UseAuthentication();
        app.Use(BanMiddleware.AfterAuthentication);
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseJobsDashboard();

        app.MapHamachiHealth();
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference("/docs").AllowAnonymous();
        app.MapLoginEndpoints();
        app.MapConnectEndpoints();

        var api = app.MapGroup("/api/v1");
        api.MapAccountEndpoints();
        api.MapTwoFactorEndpoints();
        api.MapSessionEndpoints();
        api.MapNetworkEndpoints();
        api.MapMemberEndpoints();
        api.MapRouteEndpoints();
        api.MapDeviceEndpoints();
        api.MapSetupKeyEndpoints();
        api.MapBanEndpoints();
        api.MapGrantEndpoints();
        api.MapRelayEndpoints();
        api.MapPathEndpoints();
        api.MapDeviceCodeEndpoints();
        api.MapBillingEndpoints();
        api.MapSupportEndpoints();
        api.MapAuditEndpoints();

        _ = app.Services.GetRequiredService<ServerIdentity>(); // created on first start, before any agent connects
        app.MapHub<AgentHub>(HamachiCloud.Protocol.Control.ControlProtocol.HubPath).AllowAnonymous(); // agents log in inside the hub
        app.MapHub<PortalHub>(Contracts.Live.PortalHubContract.PortalHubPath, o => o.CloseOnAuthenticationExpiration = true);

        RecurringJobs.Register(app.Services.GetRequiredService<IRecurringJobManager>());

        // Made now, while Hangfire's process-wide log provider is this host's: a client made lazily later could pick up
        // the provider of another host in the same process (tests) that has been disposed since, and fail every enqueue.
        _ = app.Services.GetRequiredService<IBackgroundJobClient>();
    }

    /// <summary>
    /// First in the pipeline, so bans, rate limits, sign-in, the audit log and the agent hub
    /// (<c>Context.GetHttpContext()</c> is the WebSocket's upgrade request) all see the client's
    /// address in <c>Connection.RemoteIpAddress</c>: the header is applied only when the direct
    /// peer is a configured proxy (<see cref="ProxyOptions"/>); nothing configured = not installed.
    /// A peer without an IP address (Unix socket) is never trusted, although ASP.NET Core would.
    /// </summary>
    private static void UseTrustedForwardedHeaders(this WebApplication app)
    {
        var proxy = app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value;
        if (!proxy.TrustsAnyProxy)
        {
            app.Logger.LogInformation("forwarded headers are ignored: no Proxy:KnownProxies or Proxy:KnownNetworks configured");
            return;
        }

        var forwarded = proxy.ToForwardedHeadersOptions();
        app.Logger.LogInformation("forwarded headers ({Headers}, limit {Limit}) are trusted from {Proxies} {Networks}",
            forwarded.ForwardedHeaders, forwarded.ForwardLimit, string.Join(", ", proxy.KnownProxies), string.Join(", ", proxy.KnownNetworks));
        app.UseWhen(ctx => ctx.Connection.RemoteIpAddress is not null, branch => branch.UseForwardedHeaders(forwarded));
    }

    /// <summary>Empty 4xx answers of the API (401 from auth, 404 from routing, 429) get a problem body and code.</summary>
    private static async Task WriteStatusProblemAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        if (!http.Request.Path.StartsWithSegments("/api"))
        {
            return;
        }

        var status = http.Response.StatusCode;
        var code = status switch
        {
            401 => ErrorCodes.Unauthorized,
            403 => ErrorCodes.Forbidden,
            404 => ErrorCodes.NotFound,
            429 => ErrorCodes.RateLimited,
            _ => status >= 500 ? ErrorCodes.InternalError : ErrorCodes.MalformedRequest,
        };
        var detail = status switch
        {
            401 => "sign in: send an OAuth access token or a personal API token as 'Authorization: Bearer …'",
            403 => "the credentials do not allow this (check the token's scopes)",
            404 => "no such endpoint",
            429 => "too many requests from this address; wait a minute",
            _ => null,
        };
        var problem = new ProblemDetails { Status = status, Detail = detail };
        problem.Extensions["code"] = code;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }
}
