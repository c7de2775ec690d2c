using HamachiCloud.Api.Auth;
using HamachiCloud.Api.Contracts.DeviceCodes;

namespace HamachiCloud.Api.Identity;

/// <summary>
/// <c>GET /api/v1/device-codes/{userCode}</c>: what a pending <c>hamachi login</c> is (device name,
/// OS, address, times) for the Portal's approval page. Any signed-in user with read access: the
/// code itself is the secret the CLI showed. Approval goes through <c>POST /connect/verify</c>.
/// </summary>
internal static class DeviceCodeEndpoints
{
    public static void MapDeviceCodeEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapGroup("/device-codes").WithTags("Device codes").RequireAuthorization(AuthSchemes.ReadPolicy)
            .MapGet("/{userCode}", GetAsync)
            .WithSummary("A pending device-flow sign-in by its user code (case and dashes do not matter); 404 device_code_not_found when unknown or expired");
    }

    private static async Task<DeviceCodeRequestDto> GetAsync(
        string userCode, HttpContext http, System.Security.Claims.ClaimsPrincipal caller, HamachiDbContext db, TimeProvider clock, RateLimiting.GuessLimits guesses,
        Microsoft.Extensions.Options.IOptions<RateLimiting.RateLimitOptions> limits, CancellationToken ct)
    {
        // Wrong codes are limited per client address and per account (the code is the secret): checked before the lookup.
        string[] guessKeys = [RateLimiting.RateLimits.AddressKey(http.Connection.RemoteIpAddress), "user:" + caller.UserId().ToString("N")];
        await guesses.CheckAsync(RateLimiting.GuessLimits.DeviceCode, limits.Value.DeviceCodeGuessesPerMinute, guessKeys, "device codes", ct);
        var normalized = DeviceCodes.Normalize(userCode);
        new Validator()
            .Check(normalized is not null, "userCode", "must be the letters and digits the CLI showed (dashes and spaces allowed), at most 64")
            .ThrowIfInvalid();
        var request = await DeviceCodes.FindAsync(db, normalized!, clock.GetUtcNow(), ct);
        if (request is null)
        {
            await guesses.WrongAsync(RateLimiting.GuessLimits.DeviceCode, guessKeys, ct);
            throw new ApiProblemException(404, ErrorCodes.DeviceCodeNotFound, DeviceCodes.NotFoundDetail);
        }

        return new DeviceCodeRequestDto(request.UserCode, request.DeviceName, request.DeviceOs, request.RequestedFrom, request.RequestedAt, request.ExpiresAt);
    }
}
