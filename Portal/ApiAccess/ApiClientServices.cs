using HamachiCloud.Api.Contracts.Client;
using HamachiCloud.Portal.Hosting;

namespace HamachiCloud.Portal.ApiAccess;

/// <summary>
/// The typed <see cref="HamachiClient"/> per circuit: the factory's pooled handler (sockets shared)
/// behind a circuit-scoped <see cref="ApiAccessTokenHandler"/>, so the token is the circuit user's.
/// (Handlers the factory builds live in their own DI scope and could not see the circuit's user.)
/// <see cref="AnonymousApi"/> is the same client without a token, for the pages before sign-in.
/// </summary>
internal static class ApiClientServices
{
    public const string HttpClientName = "hamachi-api";
    public const string AnonymousHttpClientName = "hamachi-api-anonymous";

    public static void AddHamachiApiClient(this IServiceCollection services, PortalOptions portal)
    {
        services.AddHttpClient(HttpClientName);
        services.AddScoped<ApiAccessTokenHandler>();
        services.AddScoped<ApiCalls>();
        services.AddScoped(sp =>
        {
            var handler = sp.GetRequiredService<ApiAccessTokenHandler>();
            handler.InnerHandler = sp.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(HttpClientName);
            var http = new HttpClient(handler, disposeHandler: false)
            {
                BaseAddress = portal.ApiBase,
                Timeout = TimeSpan.FromSeconds(portal.ApiTimeoutSeconds),
            };
            return new HamachiClient(http);
        });

        // Without a token, for the sign-up and password-recovery pages (AnonymousApi).
        services.AddTransient<CorrelationIdHandler>();
        services.AddHttpClient(AnonymousHttpClientName, http =>
        {
            http.BaseAddress = portal.ApiBase;
            http.Timeout = TimeSpan.FromSeconds(portal.ApiTimeoutSeconds);
        }).AddHttpMessageHandler<CorrelationIdHandler>();
        services.AddScoped(sp => new AnonymousApi(new HamachiClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient(AnonymousHttpClientName))));
    }
}
