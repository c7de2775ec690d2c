using MudBlazor;

namespace HamachiCloud.Portal.Components.Devices;

/// <summary>
/// Pure: the badge for a device key's expiry at <c>now</c>: "Expired" (error) once it has passed,
/// "Key expires in 5 d" / "in 3 h" (warning) when less than <see cref="WarnBefore"/> is left, otherwise none.
/// </summary>
public sealed record KeyExpiry(string Text, Color Color)
{
    public static readonly TimeSpan WarnBefore = TimeSpan.FromDays(7);

    public static KeyExpiry? Badge(DateTimeOffset? expiresAt, DateTimeOffset now)
    {
        if (expiresAt is not { } at)
        {
            return null;
        }

        var left = at - now;
        if (left <= TimeSpan.Zero)
        {
            return new KeyExpiry("Expired", Color.Error);
        }

        if (left >= WarnBefore)
        {
            return null;
        }

        var text = left.TotalDays >= 1 ? $"{(int)left.TotalDays} d" : left.TotalHours >= 1 ? $"{(int)left.TotalHours} h" : $"{Math.Max(1, (int)left.TotalMinutes)} min";
        return new KeyExpiry($"Key expires in {text}", Color.Warning);
    }
}
