using System.Net;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.WireGuard;

namespace HamachiCloud.Protocol.Tests.WireGuard;

/// <summary>Two WireGuard endpoints, Alice (initiator) and Bob (responder), that know each other.</summary>
internal sealed class HandshakePair : IDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly IPEndPoint AliceEndpoint = new(IPAddress.Parse("198.51.100.7"), 51820);

    public HandshakePair(ulong seed = 1, PresharedKey? alicePsk = null, PresharedKey? bobPsk = null)
    {
        Random = new DeterministicRandom(seed);
        AliceTable = new HandshakeTable(new LocalIdentity(NodePrivateKey.Generate(Random)), Random);
        BobTable = new HandshakeTable(new LocalIdentity(NodePrivateKey.Generate(Random)), Random);
        Alice = AliceTable.AddPeer(BobTable.Local.PublicKey, alicePsk);
        Bob = BobTable.AddPeer(AliceTable.Local.PublicKey, bobPsk);
    }

    public DeterministicRandom Random { get; }

    public HandshakeTable AliceTable { get; }

    public HandshakeTable BobTable { get; }

    /// <summary>Alice's handshake with Bob.</summary>
    public NoiseHandshake Alice { get; }

    /// <summary>Bob's handshake with Alice.</summary>
    public NoiseHandshake Bob { get; }

    public byte[] Initiation(DateTimeOffset now, uint index = 11)
    {
        var buffer = new byte[HandshakeInitiation.Size];
        Assert.True(Alice.TryCreateInitiation(index, now, buffer, out var written));
        Assert.Equal(HandshakeInitiation.Size, written);
        return buffer;
    }

    public byte[] Response(DateTimeOffset now, uint index = 22)
    {
        var buffer = new byte[HandshakeResponse.Size];
        Assert.True(Bob.TryCreateResponse(index, now, buffer, out var written));
        Assert.Equal(HandshakeResponse.Size, written);
        return buffer;
    }

    /// <summary>Runs the whole handshake and returns (Alice's session, Bob's session).</summary>
    public (TransportSession Alice, TransportSession Bob) Complete(DateTimeOffset now)
    {
        var initiation = Initiation(now);
        Assert.Equal(HandshakeStatus.Accepted, BobTable.ConsumeInitiation(initiation, now, out var peer));
        Assert.Same(Bob, peer);
        var response = Response(now);
        Assert.Equal(HandshakeStatus.Accepted, Alice.ConsumeResponse(response));
        Assert.True(Alice.TryDeriveSession(now, out var alice));
        Assert.True(Bob.TryDeriveSession(now, out var bob));
        return (alice!, bob!);
    }

    public void Dispose()
    {
        AliceTable.Local.Dispose();
        BobTable.Local.Dispose();
        Random.Dispose();
    }
}
