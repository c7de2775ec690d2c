using HamachiCloud.Agent.Engine.Control;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Agent.Tests;

/// <summary>Builds maps, peers and signed messages the way the server does (web JSON, Ed25519 over the payload).</summary>
internal static class Maps
{
    public static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    public static readonly Guid Self = Guid.Parse("00000000-0000-0000-0000-0000000000aa");

    public static PeerInfo Peer(int n, bool online = true, params string[] endpoints)
    {
        using var key = NodePrivateKey.FromBytes(Enumerable.Repeat((byte)n, 32).ToArray());
        return new PeerInfo(Guid.Parse($"00000000-0000-0000-0000-{n:x12}"), $"peer{n}", key.PublicKey.ToBase64(), $"100.64.0.{n}", $"fd00::{n}",
            [$"100.64.0.{n}/32", $"fd00::{n}/128"], endpoints, online, []);
    }

    public static NodeKey Key(PeerInfo peer) => NodeKey.TryParseBase64(peer.NodeKey, out var key) ? key! : throw new FormatException(peer.NodeKey);

    public static NetworkMap Map(long version, params PeerInfo[] peers) =>
        new(version, Self, Now, Now + ControlProtocol.MapLifetime, "100.64.0.100", "fd00::100", "100.64.0.0/10", [], peers);

    public static SignedMessage Sign<T>(SigningKey key, T value)
    {
        var payload = ControlJson.Serialize(value);
        return new SignedMessage(payload, key.Sign(payload));
    }
}
