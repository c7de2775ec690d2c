namespace HamachiCloud.Api.Hosting;

/// <summary>Section <c>Redis</c>: when <see cref="Connection"/> is set, SignalR uses the Redis backplane.</summary>
public sealed class RedisOptions
{
    public const string Section = "Redis";

    /// <summary>StackExchange.Redis configuration, e.g. "127.0.0.1:6379". Empty: in-memory (single node).</summary>
    public string? Connection { get; set; }
}
