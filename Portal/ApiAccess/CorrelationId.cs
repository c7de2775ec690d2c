using System.Security.Cryptography;

namespace HamachiCloud.Portal.ApiAccess;

/// <summary>
/// The reference of one user action: shown with any error, logged by the Portal, sent to the Api as
/// <c>X-Correlation-Id</c>. Flows through the async call (an <see cref="AsyncLocal{T}"/>), so the
/// <see cref="ApiAccessTokenHandler"/> of a call sees the id its caller made.
/// </summary>
public static class CorrelationId
{
    public const string Header = "X-Correlation-Id";

    private static readonly AsyncLocal<string?> CurrentValue = new();

    /// <summary>The id of the action in progress, if one was begun.</summary>
    public static string? Current
    {
        get => CurrentValue.Value;
        set => CurrentValue.Value = value;
    }

    /// <summary>A short random id people can read out ("7f3a-91c2-0b4e").</summary>
    public static string New()
    {
        var hex = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        return $"{hex[..4]}-{hex[4..8]}-{hex[8..]}";
    }
}
