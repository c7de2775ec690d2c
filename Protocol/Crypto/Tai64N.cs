using System.Buffers.Binary;

namespace HamachiCloud.Protocol.Crypto;

/// <summary>
/// A TAI64N timestamp as carried (encrypted) in a handshake initiation:
/// <code>
/// 0                               8               12
/// +-------------------------------+---------------+
/// | 0x400000000000000a + unix s   | nanoseconds   |
/// | (u64 big-endian)              | (u32 BE)      |
/// +-------------------------------+---------------+
/// </code>
/// Like wireguard-go, the nanoseconds are rounded down to a multiple of 2^24 ns (~16.8 ms) so the
/// timestamp does not leak a fine-grained clock. Responders keep the greatest one seen per peer.
/// </summary>
public readonly record struct Tai64N(ulong Seconds, uint Nanoseconds) : IComparable<Tai64N>
{
    /// <summary>Encoded length.</summary>
    public const int Size = 12;

    private const ulong Base = 0x400000000000000aUL;
    private const uint WhitenerMask = 0x1000000 - 1;

    /// <summary>The timestamp for <paramref name="now"/> (whitened).</summary>
    public static Tai64N From(DateTimeOffset now)
    {
        var ticks = now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = ticks / TimeSpan.TicksPerSecond;
        var nanos = (uint)(ticks % TimeSpan.TicksPerSecond * 100);
        return new Tai64N(Base + (ulong)seconds, nanos & ~WhitenerMask);
    }

    /// <summary>Reads 12 bytes.</summary>
    public static bool TryParse(ReadOnlySpan<byte> source, out Tai64N timestamp)
    {
        if (source.Length < Size)
        {
            timestamp = default;
            return false;
        }

        timestamp = new Tai64N(BinaryPrimitives.ReadUInt64BigEndian(source), BinaryPrimitives.ReadUInt32BigEndian(source[8..]));
        return true;
    }

    /// <summary>Writes 12 bytes.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (destination.Length < Size)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, Seconds);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Nanoseconds);
        written = Size;
        return true;
    }

    /// <inheritdoc />
    public int CompareTo(Tai64N other) => Seconds != other.Seconds ? Seconds.CompareTo(other.Seconds) : Nanoseconds.CompareTo(other.Nanoseconds);

    /// <summary>True when this timestamp is strictly later than <paramref name="other"/>.</summary>
    public bool IsAfter(Tai64N other) => CompareTo(other) > 0;

    /// <summary>Orders timestamps.</summary>
    public static bool operator <(Tai64N left, Tai64N right) => left.CompareTo(right) < 0;

    /// <summary>Orders timestamps.</summary>
    public static bool operator >(Tai64N left, Tai64N right) => left.CompareTo(right) > 0;

    /// <summary>Orders timestamps.</summary>
    public static bool operator <=(Tai64N left, Tai64N right) => left.CompareTo(right) <= 0;

    /// <summary>Orders timestamps.</summary>
    public static bool operator >=(Tai64N left, Tai64N right) => left.CompareTo(right) >= 0;
}
