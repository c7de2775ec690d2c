using System.Globalization;

namespace HamachiCloud.Portal.Components.Devices;

/// <summary>Pure: relative times ("3 h ago", "in 5 d") and the absolute UTC time for tooltips.</summary>
public static class TimeText
{
    public static string Ago(DateTimeOffset at, DateTimeOffset now) => Span(now - at) is { } s ? s + " ago" : "just now";

    public static string Until(DateTimeOffset at, DateTimeOffset now) => at <= now ? Ago(at, now) : "in " + (Span(at - now) ?? "less than a minute");

    public static string Absolute(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string? Span(TimeSpan d) =>
        d.TotalDays >= 1 ? $"{(int)d.TotalDays} d"
        : d.TotalHours >= 1 ? $"{(int)d.TotalHours} h"
        : d.TotalMinutes >= 1 ? $"{(int)d.TotalMinutes} min"
        : null;
}
