using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace HamachiCloud.Protocol.Disco;

/// <summary>
/// The plaintext of a disco message (inside the sealed box of <see cref="DiscoBox"/>):
/// <code>
///  0      1                      13
///  +------+----------------------+----------------------------------------------+
///  | type | txid (12)            | body                                         |
///  +------+----------------------+----------------------------------------------+
///  Ping         body: empty (any padding is ignored)
///  Pong         body: address (16, IPv4 as ::ffff:a.b.c.d) | port u16 BE  — the ping's observed source
///  CallMeMaybe  body: count u8 | count × (address 16 | port u16 BE)       — count ≤ MaxEndpoints
/// </code>
/// Immutable. Parsing allocates (disco is not on the data hot path).
/// </summary>
public sealed record DiscoMessage(DiscoMessageType Type, UInt128 TxId, IPEndPoint? Source = null, IReadOnlyList<IPEndPoint>? Endpoints = null)
{
    /// <summary>Length of the transaction id.</summary>
    public const int TxIdSize = 12;

    /// <summary>Largest CallMeMaybe endpoint list.</summary>
    public const int MaxEndpoints = 32;

    /// <summary>type + txid.</summary>
    public const int HeaderSize = 1 + TxIdSize;

    private const int EndpointSize = 18;

    /// <summary>A ping with transaction id <paramref name="txId"/> (only its low 96 bits are sent).</summary>
    public static DiscoMessage Ping(UInt128 txId) => new(DiscoMessageType.Ping, txId & TxIdMask);

    /// <summary>The pong for ping <paramref name="txId"/>, observed from <paramref name="source"/>.</summary>
    public static DiscoMessage Pong(UInt128 txId, IPEndPoint source) => new(DiscoMessageType.Pong, txId & TxIdMask, source);

    /// <summary>A CallMeMaybe listing <paramref name="endpoints"/>.</summary>
    public static DiscoMessage CallMeMaybe(UInt128 txId, IReadOnlyList<IPEndPoint> endpoints) =>
        new(DiscoMessageType.CallMeMaybe, txId & TxIdMask, Endpoints: endpoints);

    /// <summary>Mask of the 96 bits a transaction id carries.</summary>
    public static UInt128 TxIdMask { get; } = (UInt128.One << 96) - 1;

    /// <summary>Bytes <see cref="TryWrite"/> needs.</summary>
    public int Size => Type switch
    {
        DiscoMessageType.Pong => HeaderSize + EndpointSize,
        DiscoMessageType.CallMeMaybe => HeaderSize + 1 + (EndpointSize * (Endpoints?.Count ?? 0)),
        _ => HeaderSize,
    };

    /// <summary>Writes the plaintext; false when <paramref name="destination"/> is too small or the message is invalid.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        var size = Size;
        if (destination.Length < size || (Type == DiscoMessageType.Pong && Source is null)
            || (Type == DiscoMessageType.CallMeMaybe && (Endpoints is null || Endpoints.Count > MaxEndpoints)))
        {
            return false;
        }

        destination[0] = (byte)Type;
        WriteTxId(TxId, destination.Slice(1, TxIdSize));
        switch (Type)
        {
            case DiscoMessageType.Pong:
                WriteEndpoint(Source!, destination.Slice(HeaderSize, EndpointSize));
                break;
            case DiscoMessageType.CallMeMaybe:
                destination[HeaderSize] = (byte)Endpoints!.Count;
                for (var i = 0; i < Endpoints.Count; i++)
                {
                    WriteEndpoint(Endpoints[i], destination.Slice(HeaderSize + 1 + (i * EndpointSize), EndpointSize));
                }

                break;
        }

        written = size;
        return true;
    }

    /// <summary>Parses a plaintext; false on an unknown type or a short/inconsistent body. Never throws.</summary>
    public static bool TryParse(ReadOnlySpan<byte> plaintext, out DiscoMessage? message)
    {
        message = null;
        if (plaintext.Length < HeaderSize)
        {
            return false;
        }

        var txId = ReadTxId(plaintext.Slice(1, TxIdSize));
        var body = plaintext[HeaderSize..];
        switch ((DiscoMessageType)plaintext[0])
        {
            case DiscoMessageType.Ping:
                message = new DiscoMessage(DiscoMessageType.Ping, txId);
                return true;
            case DiscoMessageType.Pong:
                if (body.Length < EndpointSize)
                {
                    return false;
                }

                message = new DiscoMessage(DiscoMessageType.Pong, txId, ReadEndpoint(body));
                return true;
            case DiscoMessageType.CallMeMaybe:
                if (body.Length < 1 || body[0] > MaxEndpoints || body.Length < 1 + (body[0] * EndpointSize))
                {
                    return false;
                }

                var endpoints = new IPEndPoint[body[0]];
                for (var i = 0; i < endpoints.Length; i++)
                {
                    endpoints[i] = ReadEndpoint(body.Slice(1 + (i * EndpointSize), EndpointSize));
                }

                message = new DiscoMessage(DiscoMessageType.CallMeMaybe, txId, Endpoints: endpoints);
                return true;
            default:
                return false;
        }
    }

    private static void WriteTxId(UInt128 txId, Span<byte> destination)
    {
        Span<byte> full = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(full, txId);
        full[4..].CopyTo(destination);
    }

    private static UInt128 ReadTxId(ReadOnlySpan<byte> source)
    {
        Span<byte> full = stackalloc byte[16];
        full.Clear();
        source.CopyTo(full[4..]);
        return BinaryPrimitives.ReadUInt128BigEndian(full);
    }

    private static void WriteEndpoint(IPEndPoint endpoint, Span<byte> destination)
    {
        var address = endpoint.Address.AddressFamily == AddressFamily.InterNetwork ? endpoint.Address.MapToIPv6() : endpoint.Address;
        address.TryWriteBytes(destination[..16], out _);
        BinaryPrimitives.WriteUInt16BigEndian(destination[16..], (ushort)endpoint.Port);
    }

    private static IPEndPoint ReadEndpoint(ReadOnlySpan<byte> source)
    {
        var address = new IPAddress(source[..16]);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return new IPEndPoint(address, BinaryPrimitives.ReadUInt16BigEndian(source[16..]));
    }
}
