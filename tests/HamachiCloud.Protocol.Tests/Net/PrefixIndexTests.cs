using System.Net;
using HamachiCloud.Protocol.Net;

namespace HamachiCloud.Protocol.Tests.Net;

public sealed class PrefixIndexTests
{
    private static PrefixIndex<string> Index(params string[] ranges) => new(ranges.Select(r => (IPNetwork.Parse(r), r)));

    [Theory]
    [InlineData("198.51.100.7", "198.51.100.0/24,198.51.0.0/16,0.0.0.0/0")]
    [InlineData("::ffff:198.51.100.7", "198.51.100.0/24,198.51.0.0/16,0.0.0.0/0")]
    [InlineData("203.0.113.1", "0.0.0.0/0")]
    [InlineData("2001:db8::1", "2001:db8::/32,::/0")]
    [InlineData("2001:db9::1", "::/0")]
    public void Every_holding_range_is_found_most_specific_first(string address, string expected)
    {
        var index = Index("198.51.100.0/24", "198.51.0.0/16", "0.0.0.0/0", "2001:db8::/32", "::/0", "192.0.2.128/25");
        Assert.Equal(expected, string.Join(",", index.Matches(IPAddress.Parse(address))));
    }

    [Fact]
    public void Ipv6_ranges_never_hold_ipv4_and_ipv4_ranges_never_hold_ipv6()
    {
        var everythingV6 = Index("::/0");
        Assert.Empty(everythingV6.Matches(IPAddress.Parse("192.0.2.1")));
        Assert.Empty(everythingV6.Matches(IPAddress.Parse("::ffff:192.0.2.1")));
        Assert.False(everythingV6.Contains(Address128.From(IPAddress.Parse("192.0.2.1"))));

        var everythingV4 = Index("0.0.0.0/0");
        Assert.Empty(everythingV4.Matches(IPAddress.Parse("2001:db8::1")));
        Assert.True(everythingV4.Contains(Address128.From(IPAddress.Parse("::ffff:10.1.2.3"))));
    }

    [Fact]
    public void Try_find_skips_what_the_caller_rejects_and_host_routes_match_exactly()
    {
        var index = Index("192.0.2.5/32", "192.0.2.0/24");
        Assert.True(index.TryFind(IPAddress.Parse("192.0.2.5"), r => r != "192.0.2.5/32", out var found));
        Assert.Equal("192.0.2.0/24", found);
        Assert.Equal(["192.0.2.0/24"], index.Matches(IPAddress.Parse("192.0.2.6")));
        Assert.False(index.TryFind(IPAddress.Parse("192.0.3.1"), _ => true, out _));
        Assert.False(new PrefixIndex<string>([]).Contains(Address128.From(IPAddress.Loopback)));
    }

    [Fact]
    public void Agrees_with_a_scan_of_every_range_on_random_ranges_and_addresses()
    {
        using var random = new DeterministicRandom(12);
        var ranges = new List<IPNetwork>();
        for (var i = 0; i < 2000; i++)
        {
            var v4 = random.Next(2) == 0;
            var bytes = random.Bytes(v4 ? 4 : 16);
            bytes[0] = (byte)(v4 ? 198 : 0x20); // dense enough for overlaps
            var length = v4 ? 8 + random.Next(25) : 8 + random.Next(121);
            ranges.Add(new IPNetwork(Masked(new IPAddress(bytes), length), length));
        }

        var index = new PrefixIndex<IPNetwork>(ranges.Select(r => (r, r)));
        for (var i = 0; i < 5000; i++)
        {
            var source = ranges[random.Next(ranges.Count)];
            var bytes = source.BaseAddress.GetAddressBytes();
            bytes[^1] ^= (byte)random.Next(256); // inside some ranges, outside others
            var address = new IPAddress(bytes);
            var scanned = ranges.Where(r => r.Contains(address)).OrderByDescending(r => r.PrefixLength).ToHashSet();
            Assert.Equal(scanned, index.Matches(address).ToHashSet());
        }
    }

    private static IPAddress Masked(IPAddress address, int length)
    {
        var bytes = address.GetAddressBytes();
        for (var bit = length; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPAddress(bytes);
    }
}
