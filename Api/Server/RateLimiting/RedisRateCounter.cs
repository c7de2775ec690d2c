using StackExchange.Redis;

namespace HamachiCloud.Api.RateLimiting;

/// <summary>
/// Fixed-window counters in Redis, shared by every Api node of the deployment: one Lua script increments the
/// key and sets its expiry on the first hit (INCR + PEXPIRE, atomic), so the window ends at the same moment for
/// every node. Keys are prefixed <c>hamachi:rl:</c>. Redis errors propagate (the request fails, the limit is not skipped).
/// </summary>
public sealed class RedisRateCounter(IConnectionMultiplexer redis) : IRateCounter
{
    private const string Prefix = "hamachi:rl:";

    private static readonly LuaScript Hit = LuaScript.Prepare("""
        local c = redis.call('INCR', @key)
        local t = redis.call('PTTL', @key)
        if c == 1 or t < 0 then
          redis.call('PEXPIRE', @key, @ms)
          t = tonumber(@ms)
        end
        return {c, t}
        """);

    private static readonly LuaScript Peek = LuaScript.Prepare("""
        local c = redis.call('GET', @key)
        if not c then return {0, 0} end
        return {tonumber(c), redis.call('PTTL', @key)}
        """);

    public async ValueTask<RateWindow> HitAsync(string key, TimeSpan window, CancellationToken ct)
    {
        var ms = Math.Max(1, (long)window.TotalMilliseconds);
        var result = await redis.GetDatabase().ScriptEvaluateAsync(Hit, new { key = (RedisKey)(Prefix + key), ms });
        return Read(result);
    }

    public async ValueTask<RateWindow> PeekAsync(string key, CancellationToken ct)
    {
        var result = await redis.GetDatabase().ScriptEvaluateAsync(Peek, new { key = (RedisKey)(Prefix + key) });
        return Read(result);
    }

    public async ValueTask ResetAsync(string key, CancellationToken ct) =>
        await redis.GetDatabase().KeyDeleteAsync(Prefix + key);

    private static RateWindow Read(RedisResult result)
    {
        var values = (RedisResult[])result!;
        var count = (long)values[0];
        var ms = (long)values[1];
        return count <= 0 ? default : new RateWindow(count, TimeSpan.FromMilliseconds(Math.Max(ms, 0)));
    }
}
