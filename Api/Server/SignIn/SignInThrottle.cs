using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.SignIn;

/// <summary>
/// Slows guessing instead of locking accounts: failed passwords and second-factor codes are counted per
/// account (by normalized email, so an unknown address behaves exactly like a known one) and per client
/// address (IPv6 by /64), and an attempt is checked only once both waits are over. The account's wait
/// does not apply from an address the account signed in from before (<see cref="SignInThrottleOptions.FamiliarAddressDays"/>),
/// and it is capped, so a stranger cannot keep the owner out; nothing here touches tokens or sessions.
/// Step-up checks of a signed-in caller (current password, codes on the API) count under their own key,
/// with no familiar-address exemption. In memory per Api node; thread-safe.
/// </summary>
internal sealed class SignInThrottle(TimeProvider clock, IOptions<SignInThrottleOptions> options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, FailureWindow> _failures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _familiar = new(StringComparer.Ordinal);
    private readonly FailurePolicy _account = new(
        options.Value.AccountFreeFailures,
        TimeSpan.FromSeconds(options.Value.BaseDelaySeconds),
        TimeSpan.FromSeconds(options.Value.AccountMaxDelaySeconds),
        TimeSpan.FromMinutes(options.Value.ForgetAfterMinutes));
    private readonly FailurePolicy _address = new(
        options.Value.AddressFreeFailures,
        TimeSpan.FromSeconds(options.Value.BaseDelaySeconds),
        TimeSpan.FromSeconds(options.Value.AddressMaxDelaySeconds),
        TimeSpan.FromMinutes(options.Value.ForgetAfterMinutes));

    /// <summary>The account key of a sign-in by email (trimmed, upper-case invariant, like Identity's lookup).</summary>
    public static string SignInKey(string? email) => SignInPrefix + (email ?? "").Trim().ToUpperInvariant();

    private const string SignInPrefix = "signin:";

    /// <summary>The key of a signed-in account's step-up checks (current password, two-factor code on the API).</summary>
    public static string StepUpKey(Guid userId) => "stepup:" + userId.ToString("N");

    /// <summary>How long the caller must wait before this attempt is checked; zero: check it now.</summary>
    public TimeSpan Wait(string accountKey, IPAddress? address)
    {
        var now = clock.GetUtcNow();
        var addressKey = AddressKey(address);
        lock (_gate)
        {
            var byAddress = _failures.GetValueOrDefault(addressKey).Wait(_address, now);
            var byAccount = IsFamiliar(accountKey, addressKey, now) ? TimeSpan.Zero : _failures.GetValueOrDefault(accountKey).Wait(_account, now);
            return byAddress > byAccount ? byAddress : byAccount;
        }
    }

    /// <summary>Counts a wrong password or code against the account and the address.</summary>
    public void Failed(string accountKey, IPAddress? address)
    {
        var now = clock.GetUtcNow();
        var addressKey = AddressKey(address);
        lock (_gate)
        {
            _failures[accountKey] = _failures.GetValueOrDefault(accountKey).After(_account, now);
            _failures[addressKey] = _failures.GetValueOrDefault(addressKey).After(_address, now);
            PruneIfFull(now);
        }
    }

    /// <summary>
    /// A completed sign-in (or step-up): the account's failures are forgotten and the address becomes
    /// familiar to it. The address's own count stays (one's own account must not launder guesses at others).
    /// </summary>
    public void Succeeded(string accountKey, IPAddress? address)
    {
        var now = clock.GetUtcNow();
        var addressKey = AddressKey(address);
        lock (_gate)
        {
            _failures.Remove(accountKey);
            if (options.Value.FamiliarAddressDays > 0 && accountKey.StartsWith(SignInPrefix, StringComparison.Ordinal))
            {
                _familiar[accountKey + "|" + addressKey] = now;
            }

            PruneIfFull(now);
        }
    }

    /// <summary>What a throttled caller is told: the same words whether or not the account exists.</summary>
    public static string Describe(TimeSpan wait)
    {
        var seconds = Seconds(wait);
        return $"Too many failed attempts: wait {seconds} second{(seconds == 1 ? "" : "s")}, then try again.";
    }

    /// <summary>The wait in whole seconds, rounded up (the Retry-After value).</summary>
    public static int Seconds(TimeSpan wait) => (int)Math.Ceiling(Math.Max(wait.TotalSeconds, 1));

    /// <summary>429 <c>too_many_attempts</c> on <paramref name="field"/> for the API's step-up checks.</summary>
    public static ApiProblemException TooManyAttempts(TimeSpan wait, string field) =>
        new(429, ErrorCodes.TooManyAttempts, Describe(wait), new Dictionary<string, string[]> { [field] = [Describe(wait)] });

    /// <summary>"addr:" and the address, IPv4-mapped IPv6 as IPv4, other IPv6 cut to its /64 (one subscriber's block).</summary>
    internal static string AddressKey(IPAddress? address)
    {
        if (address is null)
        {
            return "addr:unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            Span<byte> bytes = stackalloc byte[16];
            address.TryWriteBytes(bytes, out _);
            bytes[8..].Clear();
            return "addr:" + new IPAddress(bytes) + "/64";
        }

        return "addr:" + address;
    }

    private bool IsFamiliar(string accountKey, string addressKey, DateTimeOffset now) =>
        options.Value.FamiliarAddressDays > 0
        && accountKey.StartsWith(SignInPrefix, StringComparison.Ordinal) // step-up checks get no exemption
        && _familiar.TryGetValue(accountKey + "|" + addressKey, out var at)
        && now - at < TimeSpan.FromDays(options.Value.FamiliarAddressDays);

    /// <summary>Over the cap: expired entries go, then the oldest until a tenth is free again.</summary>
    private void PruneIfFull(DateTimeOffset now)
    {
        var max = options.Value.MaxEntries;
        if (_failures.Count + _familiar.Count <= max)
        {
            return;
        }

        foreach (var (key, window) in _failures.ToList())
        {
            if (window.Expired(key.StartsWith("addr:", StringComparison.Ordinal) ? _address : _account, now))
            {
                _failures.Remove(key);
            }
        }

        var familiarFor = TimeSpan.FromDays(options.Value.FamiliarAddressDays);
        foreach (var (key, at) in _familiar.ToList())
        {
            if (now - at >= familiarFor)
            {
                _familiar.Remove(key);
            }
        }

        var excess = _failures.Count + _familiar.Count - (max - (max / 10));
        if (excess <= 0)
        {
            return;
        }

        var oldest = _failures.Select(e => (e.Key, At: e.Value.LastFailureAt, Familiar: false))
            .Concat(_familiar.Select(e => (e.Key, At: e.Value, Familiar: true)))
            .OrderBy(e => e.At)
            .Take(excess)
            .ToList();
        foreach (var (key, _, familiar) in oldest)
        {
            _ = familiar ? _familiar.Remove(key) : _failures.Remove(key);
        }
    }
}
