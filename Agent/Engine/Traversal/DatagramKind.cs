using System.Buffers.Binary;

namespace HamachiCloud.Agent.Engine.Traversal;

/// <summary>What a datagram on the agent's one UDP socket is, by its first bytes (docs/protocol.md).</summary>
public enum DatagramKind
{
    Unknown,
    WireGuard,
    Stun,
    Disco,
    Relay,
}

/// <summary>
/// Classifies a datagram in the contract's order: WireGuard (byte 0 in 1..4, bytes 1..3 zero), STUN
/// (length ≥ 20, top two bits zero, magic cookie 0x2112A442 at 4..7), disco ("HCD\x01"), relay frame
/// ("HCR"); anything else is <see cref="DatagramKind.Unknown"/>. Pure, allocation-free, never throws.
/// </summary>
public static class DatagramClass
{
    /// <summary>STUN's magic cookie (RFC 8489 §5).</summary>
    public const uint StunMagicCookie = 0x2112A442;

    public static DatagramKind Classify(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length < 4)
        {
            return DatagramKind.Unknown;
        }

        if (IsWireGuard(datagram))
        {
            return DatagramKind.WireGuard;
        }

        if (datagram.Length >= 20 && (datagram[0] & 0xC0) == 0 && BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) == StunMagicCookie)
        {
            return DatagramKind.Stun;
        }

        if (datagram[0] == (byte)'H' && datagram[1] == (byte)'C')
        {
            if (datagram[2] == (byte)'D' && datagram[3] == 1)
            {
                return DatagramKind.Disco;
            }

            if (datagram[2] == (byte)'R')
            {
                return DatagramKind.Relay;
            }
        }

        return DatagramKind.Unknown;
    }

    /// <summary>The hot-path test: byte 0 in 1..4 and bytes 1..3 zero (the device checks lengths).</summary>
    public static bool IsWireGuard(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= 4 && (BinaryPrimitives.ReadUInt32LittleEndian(datagram) - 1) < 4;
}
