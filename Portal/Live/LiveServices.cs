namespace HamachiCloud.Portal.Live;

/// <summary>Registers the circuit's live feed (one hub connection per circuit, started on first use).</summary>
internal static class LiveServices
{
    public static void AddPortalLive(this IServiceCollection services) =>
        services.AddScoped<IPortalLive, PortalLiveConnection>();
}
