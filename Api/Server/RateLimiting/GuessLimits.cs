namespace HamachiCloud.Api.RateLimiting;

/// <summary>
/// Limits on wrong answers: a key (an address, an account, a network) that gave its budget of wrong answers in a
/// minute is refused before the next answer is even checked (429 <c>rate_limited</c> with <c>Retry-After</c>), right
/// or wrong, until the window ends. Shared across Api nodes through <see cref="IRateCounter"/>. Check first, count
/// after: concurrent guesses can overshoot a budget by the number in flight, no more.
/// </summary>
internal sealed class GuessLimits(IRateCounter counter, RateLimitRefusals refusals)
{
    public const string DeviceCode = "device-code";
    public const string NetworkPassword = "network-password";
    public const string SetupKey = "setup-key";
    public const string PersonalTokenGuess = "personal-token-guess";

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Refuses when any of <paramref name="keys"/> already had <paramref name="perMinute"/> wrong answers to <paramref name="limit"/> in its window.</summary>
    public async ValueTask CheckAsync(string limit, int perMinute, IReadOnlyList<string> keys, string what, CancellationToken ct)
    {
        foreach (var key in keys)
        {
            var window = await counter.PeekAsync(limit + ":" + key, ct);
            if (window.Count >= perMinute)
            {
                refusals.Count(limit, key, window.EndsIn);
                throw RateLimits.TooMany(
                    $"too many wrong {what} (at most {perMinute} a minute); try again in {RateLimits.Seconds(window.EndsIn)} s", window.EndsIn);
            }
        }
    }

    /// <summary>Counts one wrong answer against each of <paramref name="keys"/>.</summary>
    public async ValueTask WrongAsync(string limit, IReadOnlyList<string> keys, CancellationToken ct)
    {
        foreach (var key in keys)
        {
            await counter.HitAsync(limit + ":" + key, Window, ct);
        }
    }
}
