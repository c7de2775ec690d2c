using HamachiCloud.Api.Devices;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using Microsoft.AspNetCore;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace HamachiCloud.Api.Identity;

/// <summary>
/// OpenIddict server handler for the device authorization response (POST /connect/device, what
/// <c>hamachi login</c> starts with): records the request (user code, the <c>device_name</c> and
/// <c>device_os</c> form parameters the CLI sends, sanitized and cut, the client address, times) as a
/// <see cref="DeviceCodeRequest"/>, and points <c>verification_uri</c> at the Portal's /device page
/// (<c>verification_uri_complete</c> with the code filled in). Runs before the response is written.
/// </summary>
internal sealed class DeviceAuthorizationRecorder(
    HamachiDbContext db, IOptions<IdentityServerOptions> options, TimeProvider clock, ILogger<DeviceAuthorizationRecorder> log)
    : IOpenIddictServerHandler<ApplyDeviceAuthorizationResponseContext>
{
    public const string DeviceNameParameter = "device_name";
    public const string DeviceOsParameter = "device_os";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyDeviceAuthorizationResponseContext>()
            .UseScopedHandler<DeviceAuthorizationRecorder>()
            .SetOrder(int.MinValue + 100_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ApplyDeviceAuthorizationResponseContext context)
    {
        var response = context.Response;
        var normalized = DeviceCodes.Normalize(response.UserCode);
        if (!string.IsNullOrEmpty(context.Error) || normalized is null)
        {
            return;
        }

        var portal = options.Value.PortalUrl;
        response.VerificationUri = portal + "/device";
        response.VerificationUriComplete = portal + "/device?code=" + Uri.EscapeDataString(response.UserCode!);

        var now = clock.GetUtcNow();
        var remote = context.Transaction.GetHttpRequest()?.HttpContext.Connection.RemoteIpAddress;
        db.DeviceCodeRequests.Add(new DeviceCodeRequest
        {
            Id = Guid.CreateVersion7(now),
            UserCode = response.UserCode!.Length <= DeviceCodeRequest.MaxCodeLength ? response.UserCode : normalized,
            NormalizedCode = normalized,
            DeviceName = DeviceText.Clean(Text(context, DeviceNameParameter), DeviceCodeRequest.MaxDeviceNameLength),
            DeviceOs = DeviceText.Clean(Text(context, DeviceOsParameter), DeviceCodeRequest.MaxDeviceOsLength),
            RequestedFrom = remote is null ? null : (remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote).ToString(),
            RequestedAt = now,
            ExpiresAt = now.AddSeconds(response.ExpiresIn is > 0 and < 86_400 ? response.ExpiresIn.Value : 600),
        });
        try
        {
            await db.SaveChangesAsync(context.CancellationToken);
        }
        catch (DbUpdateException e)
        {
            // The sign-in still works; only the approval page lacks the details.
            log.LogWarning(e, "device code request from {Remote} not recorded", remote);
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>A single text value of the request (absent, repeated or non-text parameters count as absent).</summary>
    private static string? Text(ApplyDeviceAuthorizationResponseContext context, string name) =>
        context.Request?.GetParameter(name) is { } value && value.GetRawValue() is string text ? text : null;
}
