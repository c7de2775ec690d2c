using System.Globalization;
using HamachiCloud.Api.Contracts.Members;

namespace HamachiCloud.Portal.Components.Networks;

/// <summary>
/// Pure: "Online" or "Last seen 3 h ago" (one, never both) for a device or a member, with the
/// absolute time for the tooltip. <paramref name="now"/> is a parameter (the page's clock).
/// </summary>
public static class Presence
{
    public static bool IsOnline(MemberDto member) => member.Devices?.Any(d => d.Online) == true;

    /// <summary>The latest time any of the member's devices was seen; null when none ever was.</summary>
    public static DateTimeOffset? LastSeen(MemberDto member) =>
        member.Devices?.Where(d => d.LastSeenAt is not null).Max(d => d.LastSeenAt);

    public static string Text(bool online, DateTimeOffset? lastSeen, DateTimeOffset now) =>
        online ? "Online" : lastSeen is { } at ? $"Last seen {Ago(at, now)}" : "Never connected";

    public static string Text(MemberDeviceDto device, DateTimeOffset now) => Text(device.Online, device.LastSeenAt, now);

    /// <summary>"just now", "5 min ago", "3 h ago", "2 d ago", "12 May 2025".</summary>
    public static string Ago(DateTimeOffset at, DateTimeOffset now)
    {
        var age = now - at;
        return age switch
        {
            { TotalMinutes: < 1 } => "just now",
            { TotalHours: < 1 } => $"{(int)age.TotalMinutes} min ago",
            { TotalDays: < 1 } => $"{(int)age.TotalHours} h ago",
            { TotalDays: < 30 } => $"{(int)age.TotalDays} d ago",
            _ => "on " + at.UtcDateTime.ToString("d MMM yyyy", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>The absolute time for a tooltip: "2025-05-12 14:03 UTC".</summary>
    public static string Absolute(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>A time of day for "Last update 14:03:12 UTC".</summary>
    public static string Time(DateTimeOffset at) =>
        at.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>"Ubuntu 24.04 · agent 1.2.0", or what is known of it.</summary>
    public static string Software(MemberDeviceDto device) => (device.Os, device.AgentVersion) switch
    {
        (null, null) => "—",
        ({ } os, null) => os,
        (null, { } v) => $"agent {v}",
        ({ } os, { } v) => $"{os} · agent {v}",
    };
}
