using HamachiCloud.Portal.ApiAccess;
using HamachiCloud.Portal.Auth;
using HamachiCloud.Portal.Live;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace HamachiCloud.Portal.Hosting;

/// <summary>Everything the Portal registers, from validated options (a bad key stops the start, named).</summary>
internal static class PortalServices
{
    public static void AddHamachiPortal(this WebApplicationBuilder builder)
    {
        var binding = PortalUrls.DefaultBinding(builder.Configuration, Environment.GetEnvironmentVariable(PortalUrls.PortEnvironmentVariable));
        if (binding is not null)
        {
            builder.WebHost.UseUrls(binding);
        }

        // Serve wwwroot and the packages' assets (MudBlazor, blazor.web.js) from a build output too, not
        // only in Development (./run.sh runs the Release build); a published app has them in wwwroot.
        builder.WebHost.UseStaticWebAssets();

        var portal = Bind(builder);
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        var dataProtection = services.AddDataProtection().SetApplicationName("HamachiCloud.Portal");
        if (!string.IsNullOrWhiteSpace(portal.KeyDirectory))
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(portal.KeyDirectory));
        }

        // In memory: one node. With several Portal nodes, register a shared IDistributedCache
        // (Redis: Microsoft.Extensions.Caching.StackExchangeRedis) instead, see README.
        services.AddDistributedMemoryCache();
        services.AddPortalAuthentication(portal, builder.Environment.IsDevelopment());
        services.AddAuthorization();
        services.AddCascadingAuthenticationState();
        services.AddAntiforgery();
        services.AddHamachiApiClient(portal);
        services.AddPortalLive();
        services.AddHealthChecks();
        services.AddRazorComponents().AddInteractiveServerComponents(o =>
                o.DetailedErrors = builder.Environment.IsDevelopment())
            // The prerendered pages' data (Components/Shared/PrerenderedData) comes back in the circuit's first message.
            .AddHubOptions(o => o.MaximumReceiveMessageSize = Components.Shared.PrerenderedData.CircuitMessageLimit);
        services.AddMudServices();
        services.AddSecurityHeaderPolicies().SetDefaultPolicy(p => SecurityHeaders.Configure(p, portal));
    }

    private static PortalOptions Bind(WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(PortalOptions.Section);
        builder.Services.AddOptions<PortalOptions>().Bind(section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<PortalOptions>, PortalOptions.Validator>();

        // The composition needs the values now; validate them now too, naming the key.
        PortalOptions value;
        try
        {
            value = section.Get<PortalOptions>() ?? new PortalOptions();
        }
        catch (InvalidOperationException e)
        {
            throw new OptionsValidationException(PortalOptions.Section, typeof(PortalOptions), [$"{PortalOptions.Section}: {e.Message}"]);
        }

        var result = new PortalOptions.Validator().Validate(null, value);
        if (result.Failed)
        {
            throw new OptionsValidationException(PortalOptions.Section, typeof(PortalOptions), result.Failures);
        }

        return value;
    }
}
