using HamachiCloud.Api.RateLimiting;
using HamachiCloud.Testing;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace HamachiCloud.Api.Tests;

/// <summary>The two counters behind the rate limits keep the same contract: a window opens with its first hit, counts, ends, resets.</summary>
public sealed class RateCounterTests
{
    [Fact]
    public async Task The_memory_counter_counts_in_a_window_that_ends_with_its_first_hit_plus_the_window()
    {
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var counter = new MemoryRateCounter(clock);
        Assert.Equal(default, await counter.PeekAsync("k", CancellationToken.None));
        Assert.Equal(new RateWindow(1, TimeSpan.FromMinutes(1)), await counter.HitAsync("k", TimeSpan.FromMinutes(1), CancellationToken.None));
        clock.Advance(TimeSpan.FromSeconds(40));
        Assert.Equal(new RateWindow(2, TimeSpan.FromSeconds(20)), await counter.HitAsync("k", TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.Equal(new RateWindow(2, TimeSpan.FromSeconds(20)), await counter.PeekAsync("k", CancellationToken.None));
        Assert.Equal(default, await counter.PeekAsync("other", CancellationToken.None));

        clock.Advance(TimeSpan.FromSeconds(20)); // the window is over: the next hit opens a new one
        Assert.Equal(default, await counter.PeekAsync("k", CancellationToken.None));
        Assert.Equal(new RateWindow(1, TimeSpan.FromMinutes(1)), await counter.HitAsync("k", TimeSpan.FromMinutes(1), CancellationToken.None));
        await counter.ResetAsync("k", CancellationToken.None);
        Assert.Equal(default, await counter.PeekAsync("k", CancellationToken.None));
    }

    [SkippableFact]
    public async Task The_redis_counter_keeps_the_same_contract()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(Requires.Redis());
        var counter = new RedisRateCounter(redis);
        var key = "test:" + Guid.NewGuid().ToString("N");
        Assert.Equal(default, await counter.PeekAsync(key, CancellationToken.None));
        var first = await counter.HitAsync(key, TimeSpan.FromMinutes(1), CancellationToken.None);
        var second = await counter.HitAsync(key, TimeSpan.FromMinutes(1), CancellationToken.None);
        Assert.Equal((1L, 2L), (first.Count, second.Count));
        Assert.InRange(second.EndsIn, TimeSpan.FromSeconds(50), TimeSpan.FromMinutes(1)); // the second hit did not extend the window
        Assert.True(second.EndsIn <= first.EndsIn);
        Assert.Equal(2, (await counter.PeekAsync(key, CancellationToken.None)).Count);
        Assert.True(await redis.GetDatabase().KeyExistsAsync("hamachi:rl:" + key));
        await counter.ResetAsync(key, CancellationToken.None);
        Assert.Equal(default, await counter.PeekAsync(key, CancellationToken.None));
    }
}
