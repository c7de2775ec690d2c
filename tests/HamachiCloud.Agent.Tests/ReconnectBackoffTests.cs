using HamachiCloud.Agent.Engine.Control;

namespace HamachiCloud.Agent.Tests;

public class ReconnectBackoffTests
{
    private readonly ReconnectBackoff _backoff = new() { Base = TimeSpan.FromSeconds(1), Cap = TimeSpan.FromSeconds(30), Jitter = 0.5 };

    [Fact]
    public void Delays_double_from_base_within_the_jitter_band_then_stay_at_the_cap()
    {
        var random = Seeded.Random(7);
        for (var attempt = 0; attempt < 40; attempt++)
        {
            var ceiling = Math.Min(30, Math.Pow(2, attempt));
            var delay = _backoff.Delay(attempt, random).TotalSeconds;
            Assert.InRange(delay, ceiling * 0.5, ceiling);
        }
    }

    [Fact]
    public void Jitter_comes_from_the_injected_random_so_equal_seeds_give_equal_delays_and_agents_spread()
    {
        var a = Enumerable.Range(0, 8).Select(i => _backoff.Delay(i, Seeded.Random(1))).ToList();
        var b = Enumerable.Range(0, 8).Select(i => _backoff.Delay(i, Seeded.Random(1))).ToList();
        Assert.Equal(a, b);

        var shared = Seeded.Random(3);
        var spread = Enumerable.Range(0, 20).Select(_ => _backoff.Delay(5, shared)).Distinct().Count();
        Assert.True(spread > 15, $"20 agents at attempt 5 got only {spread} distinct delays");
    }

    [Fact]
    public void Without_jitter_the_delay_is_exact_and_bad_settings_are_refused()
    {
        var exact = _backoff with { Jitter = 0 };
        Assert.Equal(TimeSpan.FromSeconds(8), exact.Delay(3, Seeded.Random(1)));
        Assert.Equal(TimeSpan.FromSeconds(30), exact.Delay(int.MaxValue, Seeded.Random(1)));
        Assert.Throws<InvalidOperationException>(() => (_backoff with { Cap = TimeSpan.FromMilliseconds(1) }).Delay(0, Seeded.Random(1)));
    }
}
