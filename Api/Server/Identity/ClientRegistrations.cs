using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace HamachiCloud.Api.Identity;

/// <summary>Creates or updates the first-party OAuth clients at start (Portal and CLI, both public).</summary>
internal static class ClientRegistrations
{
    public static async Task EnsureAsync(IOpenIddictApplicationManager apps, IdentityServerOptions options, CancellationToken ct)
    {
        var portal = new OpenIddictApplicationDescriptor
        {
            ClientId = OpenIddictSetup.PortalClientId,
            DisplayName = "HamachiCloud Portal",
            ClientType = ClientTypes.Public,
            ConsentType = ConsentTypes.Implicit,
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.Endpoints.Revocation,
                Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code,
                Permissions.Scopes.Profile,
                Permissions.Scopes.Email,
                Permissions.Prefixes.Scope + Auth.AuthSchemes.ApiScope,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var uri in options.PortalRedirectUris)
        {
            portal.RedirectUris.Add(new Uri(uri));
        }

        foreach (var uri in options.PortalPostLogoutRedirectUris)
        {
            portal.PostLogoutRedirectUris.Add(new Uri(uri));
        }

        var cli = new OpenIddictApplicationDescriptor
        {
            ClientId = OpenIddictSetup.CliClientId,
            DisplayName = "hamachi CLI",
            ClientType = ClientTypes.Public,
            ConsentType = ConsentTypes.Implicit,
            Permissions =
            {
                Permissions.Endpoints.DeviceAuthorization,
                Permissions.Endpoints.Token,
                Permissions.Endpoints.Revocation,
                Permissions.GrantTypes.DeviceCode,
                Permissions.GrantTypes.RefreshToken,
                Permissions.Scopes.Profile,
                Permissions.Prefixes.Scope + Auth.AuthSchemes.ApiScope,
            },
        };

        foreach (var descriptor in new[] { portal, cli })
        {
            var existing = await apps.FindByClientIdAsync(descriptor.ClientId!, ct);
            if (existing is null)
            {
                await apps.CreateAsync(descriptor, ct);
            }
            else
            {
                await apps.UpdateAsync(existing, descriptor, ct);
            }
        }
    }
}
