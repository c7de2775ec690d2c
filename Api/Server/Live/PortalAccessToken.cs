using HamachiCloud.Api.Contracts.Live;

namespace HamachiCloud.Api.Live;

/// <summary>
/// Browsers cannot set headers on a WebSocket: on <see cref="PortalHubContract.PortalHubPath"/> only,
/// an <c>access_token</c> query parameter becomes the <c>Authorization: Bearer</c> header (when there
/// is none) before authentication runs. Everywhere else tokens in URLs are ignored.
/// </summary>
internal static class PortalAccessToken
{
    public static void UsePortalAccessToken(this IApplicationBuilder app) =>
        app.Use((ctx, next) =>
        {
            if (ctx.Request.Path.StartsWithSegments(PortalHubContract.PortalHubPath)
                && string.IsNullOrEmpty(ctx.Request.Headers.Authorization)
                && ctx.Request.Query[PortalHubContract.AccessTokenQueryParameter] is [{ Length: > 0 and <= 8192 } token])
            {
                ctx.Request.Headers.Authorization = "Bearer " + token;
            }

            return next(ctx);
        });
}
