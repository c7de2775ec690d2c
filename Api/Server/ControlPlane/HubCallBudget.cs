namespace HamachiCloud.Api.ControlPlane;

/// <summary>What an agent may call after login, in budget families.</summary>
internal enum HubCallKind
{
    /// <summary><c>RequestNetworkMap</c>: only after a delta that does not apply.</summary>
    Map,

    /// <summary><c>ReportDiscovery</c>: at start and when the NAT or endpoints change.</summary>
    Discovery,

    /// <summary><c>ReportPaths</c>: when a peer's path changes.</summary>
    Paths,

    /// <summary>Create, join, leave, go online/offline, nickname, advertise routes: a person typing.</summary>
    Command,

    /// <summary><c>GetRelayTokens</c>: once per peer that needs a relay.</summary>
    RelayTokens,
}

/// <summary>
/// Per-session token buckets for the agent hub's methods, so one device cannot make the Api
/// rebuild maps or write reports as fast as it can send (issue 12, item 7). Each family has a
/// burst and a refill rate far above what a well-behaved agent does; a call over budget is not
/// executed (ignored, or answered <c>rate_limited</c>). Not thread-safe: SignalR runs one
/// invocation per connection at a time.
/// </summary>
internal sealed class HubCallBudget(HubCallBudget.Clock clock)
{
    /// <summary>The time the budgets refill by (its own service so tests can hold it still).</summary>
    internal sealed class Clock(TimeProvider time)
    {
        public TimeProvider Time => time;
    }

    /// <summary>(burst, refill per second) per family.</summary>
    public static readonly IReadOnlyDictionary<HubCallKind, (double Burst, double PerSecond)> Limits = new Dictionary<HubCallKind, (double, double)>
    {
        [HubCallKind.Map] = (5, 0.5),
        [HubCallKind.Discovery] = (10, 1),
        [HubCallKind.Paths] = (40, 4),
        [HubCallKind.Command] = (30, 2),
        [HubCallKind.RelayTokens] = (60, 5),
    };

    private readonly Dictionary<HubCallKind, (double Tokens, long Stamp)> _buckets = [];

    /// <summary>Calls refused so far in this session, all families.</summary>
    public long Refused { get; private set; }

    /// <summary>Takes one call from the family's bucket; false (and counted) when it is empty.</summary>
    public bool TryTake(HubCallKind kind)
    {
        var (burst, perSecond) = Limits[kind];
        var now = clock.Time.GetTimestamp();
        var (tokens, stamp) = _buckets.TryGetValue(kind, out var bucket) ? bucket : (burst, now);
        tokens = Math.Min(burst, tokens + (clock.Time.GetElapsedTime(stamp, now).TotalSeconds * perSecond));
        if (tokens < 1)
        {
            _buckets[kind] = (tokens, now);
            Refused++;
            return false;
        }

        _buckets[kind] = (tokens - 1, now);
        return true;
    }
}
