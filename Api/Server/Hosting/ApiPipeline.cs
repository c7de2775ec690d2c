using HamachiCloud.Api.Relays;
using HamachiCloud.Api.Paths;
using Hangfire;
using HamachiCloud.Api.Accounts;
using HamachiCloud.Api.Bans;
using HamachiCloud.Api.ControlPlane;
using HamachiCloud.Api.Devices;
using HamachiCloud.Api.Health;
using HamachiCloud.Api.Identity;
using HamachiCloud.Api.Jobs;
using HamachiCloud.Api.Members;
using HamachiCloud.Api.Networks;
using HamachiCloud.Api.Routes;
using HamachiCloud.Api.SetupKeys;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Scalar.AspNetCore;

namespace HamachiCloud.Api.Hosting;

/// <summary>The middleware order and every endpoint of the Api.</summary>
internal static class ApiPipeline
{
    public static void UseHamachiApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages(WriteStatusProblemAsync);
        app.UseMiddleware<BanMiddleware>();
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapHamachiHealth();
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference("/docs").AllowAnonymous();
        app.MapLoginEndpoints();
        app.MapConnectEndpoints();

        var api = app.MapGroup("/api/v1");
        api.MapAccountEndpoints();
        api.MapNetworkEndpoints();
        api.MapMemberEndpoints();
        api.MapRouteEndpoints();
        api.MapDeviceEndpoints();
        api.MapSetupKeyEndpoints();
        api.MapBanEndpoints();
        api.MapRelayEndpoints();
        api.MapPathEndpoints();

        _ = app.Services.GetRequiredService<ServerIdentity>(); // created on first start, before any agent connects
        app.MapHub<AgentHub>(HamachiCloud.Protocol.Control.ControlProtocol.HubPath).AllowAnonymous(); // agents log in inside the hub

        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<MaintenanceJobs>(
            MaintenanceJobs.PruneJobId, j => j.PruneExpiredAsync(CancellationToken.None), Cron.Hourly());
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
