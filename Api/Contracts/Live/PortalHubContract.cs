namespace HamachiCloud.Api.Contracts.Live;

/// <summary>
/// The live-update hub for signed-in users (the Portal). SignalR, JSON protocol with the REST
/// conventions (configure the client with <c>AddJsonProtocol(o =&gt; HamachiJson.Configure(o.PayloadSerializerOptions))</c>).
/// Authentication: an OAuth access token with scope <c>api</c>, as <c>Authorization: Bearer …</c>
/// (the .NET client's <c>AccessTokenProvider</c>) or, for browsers, the <c>access_token</c> query
/// parameter (accepted on this path only). Server methods: <see cref="IPortalHub"/>; client
/// callbacks: <see cref="IPortalClient"/> (call names are the interface's method names).
/// </summary>
public static class PortalHubContract
{
    public const string PortalHubPath = "/hubs/portal";

    /// <summary>The query parameter browsers may carry the access token in (this path only).</summary>
    public const string AccessTokenQueryParameter = "access_token";

    /// <summary>The HubException message when the caller may not watch a network.</summary>
    public const string Forbidden = "forbidden";
}
