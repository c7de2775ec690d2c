using System.Net;
using HamachiCloud.Protocol.Routing;

namespace HamachiCloud.Protocol.Tests.Routing;

public sealed class AllowedIpsTests
{
    private static AllowedIps<string> Table()
    {
        var table = new AllowedIps<string>();
        table.Insert(IPNetwork.Parse("0.0.0.0/0"), "default");
        table.Insert(IPNetwork.Parse("100.64.0.0/10"), "overlay");
        table.Insert(IPNetwork.Parse("100.64.1.0/24"), "subnet-router");
        table.Insert(IPNetwork.Parse("100.64.1.7/32"), "alice");
        table.Insert(IPNetwork.Parse("fd7a:115c:a1e0::/48"), "overlay6");
        table.Insert(IPNetwork.Parse("fd7a:115c:a1e0::7/128"), "alice");
        return table;
    }

    [Theory]
    [InlineData("100.64.1.7", "alice")]
    [InlineData("100.64.1.8", "subnet-router")]
    [InlineData("100.100.0.1", "overlay")]
    [InlineData("8.8.8.8", "default")]
    [InlineData("fd7a:115c:a1e0::7", "alice")]
    [InlineData("fd7a:115c:a1e0::8", "overlay6")]
    public void Longest_prefix_wins(string address, string expected)
    {
        Assert.True(Table().TryLookup(IPAddress.Parse(address), out var peer));
        Assert.Equal(expected, peer);
    }

    [Fact]
    public void Misses_return_false()
    {
        var table = Table();
        Assert.False(table.TryLookup(IPAddress.Parse("2001:db8::1"), out _));
        Assert.False(table.TryLookup(new byte[5], out _));
        Assert.False(new AllowedIps<string>().TryLookup(IPAddress.Parse("1.2.3.4"), out _));
    }

    [Fact]
    public void Host_bits_of_an_inserted_prefix_are_ignored_and_reinsert_replaces()
    {
        var table = new AllowedIps<int>();
        table.Insert([10, 1, 2, 3], 16, 1);
        Assert.True(table.TryLookup([10, 1, 200, 200], out var peer));
        Assert.Equal(1, peer);
        table.Insert(IPNetwork.Parse("10.1.0.0/16"), 2);
        Assert.Equal(1, table.Count);
        Assert.True(table.TryLookup([10, 1, 0, 1], out peer));
        Assert.Equal(2, peer);
        Assert.Throws<ArgumentOutOfRangeException>(() => table.Insert([10, 0, 0, 0], 33, 3));
        Assert.Throws<ArgumentException>(() => table.Insert([10, 0, 0], 8, 3));
    }

    [Fact]
    public void Remove_deletes_only_the_exact_prefix()
    {
        var table = Table();
        Assert.True(table.Remove(IPNetwork.Parse("100.64.1.0/24")));
        Assert.False(table.Remove(IPNetwork.Parse("100.64.1.0/24")));
        Assert.False(table.Remove(IPNetwork.Parse("100.64.2.0/24")));
        Assert.True(table.TryLookup(IPAddress.Parse("100.64.1.8"), out var peer));
        Assert.Equal("overlay", peer);
        Assert.True(table.TryLookup(IPAddress.Parse("100.64.1.7"), out peer));
        Assert.Equal("alice", peer);
        Assert.Equal(5, table.Count);
    }

    [Fact]
    public void Remove_by_peer_clears_both_families()
    {
        var table = Table();
        Assert.Equal(2, table.RemoveByPeer("alice"));
        Assert.Equal(4, table.Count);
        Assert.True(table.TryLookup(IPAddress.Parse("100.64.1.7"), out var peer));
        Assert.Equal("subnet-router", peer);
        Assert.True(table.TryLookup(IPAddress.Parse("fd7a:115c:a1e0::7"), out peer));
        Assert.Equal("overlay6", peer);
        Assert.Empty(table.PrefixesOf("alice"));
        Assert.Equal(0, table.RemoveByPeer("nobody"));
    }

    [Fact]
    public void Prefixes_of_a_peer_are_listed()
    {
        var prefixes = Table().PrefixesOf("alice").Select(p => p.ToString()).OrderBy(s => s, StringComparer.Ordinal).ToArray();
        Assert.Equal(["100.64.1.7/32", "fd7a:115c:a1e0::7/128"], prefixes);
        Assert.Equal(["0.0.0.0/0"], Table().PrefixesOf("default").Select(p => p.ToString()));
    }

    [Fact]
    public void Lookup_does_not_allocate()
    {
        var table = Table();
        ReadOnlySpan<byte> v4 = [100, 64, 1, 9];
        Span<byte> v6 = stackalloc byte[16];
        IPAddress.Parse("fd7a:115c:a1e0::7").TryWriteBytes(v6, out _);
        table.TryLookup(v4, out _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            table.TryLookup(v4, out _);
            table.TryLookup(v6, out _);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Matches_a_linear_scan_on_random_prefixes()
    {
        var random = new DeterministicRandom(77);
        var table = new AllowedIps<int>();
        var entries = new Dictionary<(uint Network, int Length), int>();
        for (var i = 0; i < 300; i++)
        {
            var length = random.Next(33);
            var network = length == 0 ? 0u : (uint)random.NextUInt64() & (uint.MaxValue << (32 - length));
            entries[(network, length)] = i;
            table.Insert([(byte)(network >> 24), (byte)(network >> 16), (byte)(network >> 8), (byte)network], length, i);
        }

        for (var i = 0; i < 5000; i++)
        {
            var address = (uint)random.NextUInt64();
            var best = -1;
            var expected = -1;
            foreach (var ((network, length), value) in entries)
            {
                var mask = length == 0 ? 0u : uint.MaxValue << (32 - length);
                if ((address & mask) == network && length > best)
                {
                    best = length;
                    expected = value;
                }
            }

            var found = table.TryLookup([(byte)(address >> 24), (byte)(address >> 16), (byte)(address >> 8), (byte)address], out var actual);
            Assert.Equal(expected >= 0, found);
            if (found)
            {
                Assert.Equal(expected, actual);
            }
        }
    }
}
