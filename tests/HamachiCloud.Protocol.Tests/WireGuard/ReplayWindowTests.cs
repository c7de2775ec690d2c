using HamachiCloud.Protocol.WireGuard;

namespace HamachiCloud.Protocol.Tests.WireGuard;

public sealed class ReplayWindowTests
{
    private const ulong Window = WireGuardLimits.ReplayWindowSize;

    [Fact]
    public void Window_is_8128_counters()
    {
        Assert.Equal(8128, WireGuardLimits.ReplayWindowSize);
        Assert.Equal((128 - 1) * 64, WireGuardLimits.ReplayWindowSize);
    }

    [Fact]
    public void Every_counter_is_accepted_once_and_every_replay_rejected()
    {
        var window = new ReplayWindow();
        for (ulong c = 0; c < 20_000; c++)
        {
            Assert.True(window.TryAccept(c));
            Assert.False(window.TryAccept(c));
            if (c >= 1)
            {
                Assert.False(window.TryAccept(c - 1));
            }
        }

        for (ulong c = 20_000 - Window; c < 20_000; c++)
        {
            Assert.False(window.TryAccept(c));
        }

        Assert.Equal(19_999UL, window.Greatest);
    }

    [Fact]
    public void Out_of_order_counters_within_the_window_are_accepted_once()
    {
        var window = new ReplayWindow();
        const ulong top = 10_000;
        Assert.True(window.TryAccept(top));
        var order = new List<ulong>();
        for (var c = top - Window; c < top; c++)
        {
            order.Add(c);
        }

        var random = new DeterministicRandom(42);
        for (var i = order.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        foreach (var c in order)
        {
            Assert.True(window.TryAccept(c), $"counter {c}");
        }

        foreach (var c in order)
        {
            Assert.False(window.TryAccept(c), $"replayed counter {c}");
        }

        Assert.Equal(top, window.Greatest);
    }

    [Fact]
    public void Counters_older_than_the_window_are_rejected()
    {
        var window = new ReplayWindow();
        Assert.True(window.TryAccept(20_000));
        Assert.False(window.TryAccept(20_000 - Window - 1));
        Assert.False(window.TryAccept(0));
        Assert.True(window.TryAccept(20_000 - Window));

        Assert.True(window.TryAccept(1_000_000));
        Assert.False(window.TryAccept(20_000));
        Assert.True(window.TryAccept(999_999));
    }

    [Fact]
    public void Rejected_counters_do_not_move_the_window()
    {
        var window = new ReplayWindow();
        Assert.True(window.TryAccept(100));
        Assert.False(window.TryAccept(100));
        Assert.False(window.TryAccept(WireGuardLimits.RejectAfterMessages));
        Assert.False(window.TryAccept(ulong.MaxValue));
        Assert.Equal(100UL, window.Greatest);
        Assert.True(window.TryAccept(99));
        Assert.True(window.TryAccept(WireGuardLimits.RejectAfterMessages - 1));
        Assert.Equal(WireGuardLimits.RejectAfterMessages - 1, window.Greatest);
    }

    [Fact]
    public void Matches_a_set_based_model_under_random_traffic()
    {
        var window = new ReplayWindow();
        var seen = new HashSet<ulong>();
        ulong greatest = 0;
        var random = new DeterministicRandom(99);
        for (var i = 0; i < 200_000; i++)
        {
            var jump = random.Next(10) switch
            {
                0 => (long)random.Next(20_000),
                1 or 2 => -(long)random.Next(9_000),
                _ => random.Next(40) - 20,
            };
            var counter = (ulong)Math.Max(0, (long)greatest + jump);
            var expected = !seen.Contains(counter) && (counter > greatest || greatest - counter <= Window);
            Assert.Equal(expected, window.TryAccept(counter));
            if (expected)
            {
                seen.Add(counter);
                greatest = Math.Max(greatest, counter);
            }
        }
    }

    [Fact]
    public void Reset_forgets_everything()
    {
        var window = new ReplayWindow();
        Assert.True(window.TryAccept(5));
        window.Reset();
        Assert.True(window.TryAccept(5));
    }
}
