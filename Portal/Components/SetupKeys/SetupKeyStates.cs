using HamachiCloud.Api.Contracts.SetupKeys;
using MudBlazor;

namespace HamachiCloud.Portal.Components.SetupKeys;

/// <summary>
/// Pure: a setup key's state at <c>now</c> (the Api's rules in <c>SetupKeyService.ConsumeAsync</c>),
/// when it ended, and whether the list shows it by default (active, or ended in the last <see cref="RecentFor"/>).
/// </summary>
public static class SetupKeyStates
{
    public static readonly TimeSpan RecentFor = TimeSpan.FromDays(30);

    public static SetupKeyState Of(SetupKeyDto key, DateTimeOffset now) =>
        key.RevokedAt is not null ? SetupKeyState.Revoked
        : key.ExpiresAt <= now ? SetupKeyState.Expired
        : !key.Reusable && key.UsageCount > 0 ? SetupKeyState.Used
        : SetupKeyState.Active;

    /// <summary>When the key stopped enrolling (revoked or expired), or null (active, or a used one-off key: the list does not know when).</summary>
    public static DateTimeOffset? EndedAt(SetupKeyDto key, DateTimeOffset now) => Of(key, now) switch
    {
        SetupKeyState.Revoked => key.RevokedAt,
        SetupKeyState.Expired => key.ExpiresAt,
        _ => null,
    };

    /// <summary>Shown without "Show older keys": active, used (until it would have expired anyway), or ended less than <see cref="RecentFor"/> ago.</summary>
    public static bool IsRecent(SetupKeyDto key, DateTimeOffset now) =>
        Of(key, now) switch
        {
            SetupKeyState.Active => true,
            SetupKeyState.Used => key.ExpiresAt > now - RecentFor,
            _ => EndedAt(key, now) > now - RecentFor,
        };

    public static string Text(SetupKeyState state) => state switch
    {
        SetupKeyState.Active => "Active",
        SetupKeyState.Used => "Used",
        SetupKeyState.Expired => "Expired",
        _ => "Revoked",
    };

    public static Color Color(SetupKeyState state) => state switch
    {
        SetupKeyState.Active => MudBlazor.Color.Success,
        SetupKeyState.Expired => MudBlazor.Color.Warning,
        SetupKeyState.Revoked => MudBlazor.Color.Error,
        _ => MudBlazor.Color.Default,
    };
}
