using System.Net;
using System.Net.Sockets;

namespace HamachiCloud.Protocol.Net;

/// <summary>
/// IP ranges (IPv4 and IPv6 CIDRs) indexed for lookups whose cost does not grow with the number of ranges: one hash
/// table per prefix length in use, probed from the most specific length down, so a lookup costs at most one masked
/// hash probe per distinct length (≤ 33 for IPv4, ≤ 129 for IPv6), never a scan of every range. Addresses are read in
/// their 16-byte form with IPv4 as ::ffff:a.b.c.d: IPv4 ranges hold IPv4 and IPv4-mapped IPv6 addresses, IPv6 ranges
/// hold the other IPv6 addresses (so <c>::/0</c> is not a ban of all IPv4). Immutable after construction: build a new
/// index when the ranges change and swap it in (thread-safe to read).
/// </summary>
public sealed class PrefixIndex<T>
{
    private const int MappedShift = 96;

    private static readonly UInt128 MappedPrefix = new(0, 0x0000_FFFF_0000_0000UL);
    private static readonly UInt128 MappedMask = UInt128.MaxValue << 32;

    private readonly Level[] _v4;
    private readonly Level[] _v6;

    public PrefixIndex(IEnumerable<(IPNetwork Range, T Value)> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var v4 = new Dictionary<int, Dictionary<UInt128, List<T>>>();
        var v6 = new Dictionary<int, Dictionary<UInt128, List<T>>>();
        var count = 0;
        foreach (var (range, value) in entries)
        {
            var isV4 = range.BaseAddress.AddressFamily == AddressFamily.InterNetwork;
            var byLength = isV4 ? v4 : v6;
            var length = range.PrefixLength + (isV4 ? MappedShift : 0);
            var key = Address128.From(range.BaseAddress) & Mask(length);
            if (!byLength.TryGetValue(length, out var table))
            {
                byLength[length] = table = [];
            }

            if (!table.TryGetValue(key, out var values))
            {
                table[key] = values = [];
            }

            values.Add(value);
            count++;
        }

        _v4 = Levels(v4);
        _v6 = Levels(v6);
        Count = count;
    }

    /// <summary>How many ranges were indexed.</summary>
    public int Count { get; }

    /// <summary>The values of every range holding <paramref name="address"/>, most specific first.</summary>
    public IEnumerable<T> Matches(IPAddress address) => Matches(Address128.From(address));

    /// <summary>The values of every range holding the 16-byte address <paramref name="address"/> (IPv4 as ::ffff:a.b.c.d), most specific first.</summary>
    public IEnumerable<T> Matches(UInt128 address)
    {
        foreach (var level in LevelsFor(address))
        {
            if (level.Ranges.TryGetValue(address & level.Mask, out var values))
            {
                foreach (var value in values)
                {
                    yield return value;
                }
            }
        }
    }

    /// <summary>The most specific value holding <paramref name="address"/> that <paramref name="accept"/> accepts; allocation-free.</summary>
    public bool TryFind(UInt128 address, Func<T, bool> accept, out T? found)
    {
        ArgumentNullException.ThrowIfNull(accept);
        foreach (var level in LevelsFor(address))
        {
            if (level.Ranges.TryGetValue(address & level.Mask, out var values))
            {
                foreach (var value in values)
                {
                    if (accept(value))
                    {
                        found = value;
                        return true;
                    }
                }
            }
        }

        found = default;
        return false;
    }

    /// <inheritdoc cref="TryFind(UInt128, Func{T, bool}, out T)"/>
    public bool TryFind(IPAddress address, Func<T, bool> accept, out T? found) => TryFind(Address128.From(address), accept, out found);

    /// <summary>Whether any range holds <paramref name="address"/> (16-byte form, IPv4 as ::ffff:a.b.c.d).</summary>
    public bool Contains(UInt128 address)
    {
        foreach (var level in LevelsFor(address))
        {
            if (level.Ranges.ContainsKey(address & level.Mask))
            {
                return true;
            }
        }

        return false;
    }

    private Level[] LevelsFor(UInt128 address) => (address & MappedMask) == MappedPrefix ? _v4 : _v6;

    private static Level[] Levels(Dictionary<int, Dictionary<UInt128, List<T>>> byLength) =>
        [.. byLength.OrderByDescending(l => l.Key).Select(l => new Level(Mask(l.Key), l.Value.ToDictionary(e => e.Key, e => e.Value.ToArray())))];

    private static UInt128 Mask(int length) => length == 0 ? UInt128.Zero : UInt128.MaxValue << (128 - length);

    private sealed record Level(UInt128 Mask, Dictionary<UInt128, T[]> Ranges);
}
