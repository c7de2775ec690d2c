using System.Security.Claims;
using HamachiCloud.Api.Auth;
using HamachiCloud.Api.Contracts.Enrolment;
using HamachiCloud.Api.ControlPlane;
using HamachiCloud.Api.SetupKeys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Devices;

/// <summary>
/// POST /api/v1/devices/enrol: registers an agent's machine key (Ed25519) and node key (X25519)
/// with an account, authorised by a setup key in the body or else by a bearer token with write
/// access; answers with the device's addresses and the server identity key the agent pins.
/// </summary>
internal sealed class EnrolmentService(
    HamachiDbContext db,
    DeviceService devices,
    SetupKeyService setupKeys,
    SetupKeyNetworkScope keyNetworks,
    MapChangeQueue changes,
    IAuthorizationService authorization,
    ServerIdentity identity,
    IOptions<AddressPoolOptions> pool,
    IOptions<ControlPlaneOptions> options,
    RateLimiting.GuessLimits guesses,
    IOptions<RateLimiting.RateLimitOptions> limits)
{
    public async Task<EnrolResponse> EnrolAsync(HttpContext http, EnrolRequest request, CancellationToken ct)
    {
        var machineKey = FromBase64Key(request.MachineKey);
        var nodeKey = FromBase64Key(request.NodeKey);
        new Validator()
            .Name("name", request.Name)
            .Check(machineKey is not null, "machineKey", "must be base64 of 32 bytes (Ed25519 public key)")
            .Check(nodeKey is not null, "nodeKey", "must be base64 of 32 bytes (X25519 public key)")
            .ThrowIfInvalid();

        // One transaction: the setup key's use (a conditional UPDATE), the device and its per-network
        // states from the key's networks are saved together, and a refused enrolment (device limit,
        // duplicate key) does not use up a one-off key.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var (userId, keyId, signIn) = await AuthoriseAsync(http, request.SetupKey, ct);
        var device = await devices.EnrolAsync(userId, request.Name, machineKey!, nodeKey!, TimeSpan.FromDays(options.Value.DeviceKeyLifetimeDays), ct, signIn);
        var scoped = keyId is { } k && await keyNetworks.ApplyAsync(k, device, ct);
        await transaction.CommitAsync(ct);
        if (scoped)
        {
            changes.DeviceChanged(device.Id);
        }

        return new EnrolResponse(device.Id, device.VirtualIPv4.ToString(), device.VirtualIPv6.ToString(), pool.Value.IPv4Pool,
            identity.PublicKey.ToBase64(), device.KeyExpiresAt);
    }

    /// <summary>
    /// The account to enrol into, the setup key used, if any (its use is counted in the caller's transaction),
    /// and the <c>hamachi login</c> sign-in (an access token of the CLI client) the device is bound to, if that.
    /// </summary>
    private async Task<(Guid UserId, Guid? SetupKeyId, Guid? SignIn)> AuthoriseAsync(HttpContext http, string? setupKey, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(setupKey))
        {
            // Wrong keys are limited per client address (shared across nodes), checked before the lookup.
            string[] guessKeys = [RateLimiting.RateLimits.AddressKey(http.Connection.RemoteIpAddress)];
            await guesses.CheckAsync(RateLimiting.GuessLimits.SetupKey, limits.Value.SetupKeyGuessesPerMinute, guessKeys, "setup keys", ct);
            var key = await setupKeys.ConsumeAsync(setupKey, ct);
            if (key is null)
            {
                await guesses.WrongAsync(RateLimiting.GuessLimits.SetupKey, guessKeys, ct);
                throw new ApiProblemException(401, ErrorCodes.InvalidSetupKey, "the setup key is unknown, expired, revoked or already used");
            }

            return (key.UserId, key.Id, null);
        }

        var auth = await http.AuthenticateAsync(AuthSchemes.Bearer);
        if (!auth.Succeeded || auth.Principal is null)
        {
            throw new ApiProblemException(401, ErrorCodes.Unauthorized, "enrol with a setup key, or sign in and send 'Authorization: Bearer …'");
        }

        if (!(await authorization.AuthorizeAsync(auth.Principal, AuthSchemes.WritePolicy)).Succeeded)
        {
            throw ApiProblemException.Forbidden("the token does not allow enrolling devices (it needs the write or api scope)");
        }

        var cli = auth.Principal.FindFirstValue(OpenIddict.Abstractions.OpenIddictConstants.Claims.ClientId) == Identity.OpenIddictSetup.CliClientId;
        return (auth.Principal.UserId(), null, cli ? auth.Principal.SessionId() : null);
    }

    /// <summary>Lowercase hex of a base64 32-byte key (the stored form), or null.</summary>
    private static string? FromBase64Key(string? base64)
    {
        Span<byte> raw = stackalloc byte[32];
        return base64 is { Length: <= 64 } && Convert.TryFromBase64String(base64, raw, out var written) && written == 32
            ? Convert.ToHexStringLower(raw)
            : null;
    }
}
