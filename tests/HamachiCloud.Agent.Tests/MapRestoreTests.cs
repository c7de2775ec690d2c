using HamachiCloud.Agent.Engine.Control;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Agent.Tests;

public sealed class MapRestoreTests : IDisposable
{
    private readonly SigningKey _server = SigningKey.Generate();

    public void Dispose() => _server.Dispose();

    [Fact]
    public void A_valid_cache_restores_the_map_with_its_deltas_applied()
    {
        var map = Maps.Sign(_server, Maps.Map(4, Maps.Peer(1), Maps.Peer(2)));
        var delta = Maps.Sign(_server, new NetworkMapDelta(4, 5, Maps.Now, [Maps.Peer(3)], [Maps.Peer(1).DeviceId], [], []));

        var restored = MapRestore.Restore(map, [delta], _server.PublicKey, Maps.Self, Maps.Now.AddDays(1), out var error);

        Assert.Null(error);
        Assert.Equal(5, restored!.Version);
        Assert.Equal(["peer2", "peer3"], restored.Peers.Select(p => p.Name).Order());
    }

    [Fact]
    public void A_tampered_cache_is_refused()
    {
        var map = Maps.Sign(_server, Maps.Map(4, Maps.Peer(1)));
        var payload = map.Payload.ToArray();
        var at = Array.IndexOf(payload, (byte)'1', 10);
        payload[at] = (byte)'9';

        Assert.Null(MapRestore.Restore(map with { Payload = payload }, [], _server.PublicKey, Maps.Self, Maps.Now, out var error));
        Assert.Contains("tampered", error, StringComparison.Ordinal);

        var badDelta = Maps.Sign(_server, new NetworkMapDelta(4, 5, Maps.Now, [], [], [], [])) with { Signature = new byte[64] };
        Assert.Null(MapRestore.Restore(map, [badDelta], _server.PublicKey, Maps.Self, Maps.Now, out error));
        Assert.Contains("delta refused", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cache_signed_by_another_key_or_for_another_device_is_refused()
    {
        using var other = SigningKey.Generate();
        Assert.Null(MapRestore.Restore(Maps.Sign(other, Maps.Map(1)), [], _server.PublicKey, Maps.Self, Maps.Now, out var error));
        Assert.Contains("pinned server key", error, StringComparison.Ordinal);

        Assert.Null(MapRestore.Restore(Maps.Sign(_server, Maps.Map(1)), [], _server.PublicKey, Guid.NewGuid(), Maps.Now, out error));
        Assert.Contains("not this device", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_expired_cache_is_refused()
    {
        var map = Maps.Sign(_server, Maps.Map(1, Maps.Peer(1)));

        Assert.Null(MapRestore.Restore(map, [], _server.PublicKey, Maps.Self, Maps.Now + ControlProtocol.MapLifetime, out var error));
        Assert.Contains("expired", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_delta_applies_only_on_its_from_version()
    {
        var map = Maps.Map(4, Maps.Peer(1));
        Assert.Null(MapDeltas.Apply(map, new NetworkMapDelta(3, 5, Maps.Now, [], [], [], [])));
        var applied = MapDeltas.Apply(map, new NetworkMapDelta(4, 5, Maps.Now, [Maps.Peer(1, online: false)], [], [], []));
        Assert.False(Assert.Single(applied!.Peers).Online);
    }
}
