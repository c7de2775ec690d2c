using System.Net;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Agent.Engine.Config;

/// <summary>
/// What a device is made from, in the shape of a wg-quick [Interface] section: the static private key,
/// this device's overlay address with the overlay prefix length (used for the subnet broadcast address,
/// e.g. 100.64.0.1/10 → 100.127.255.255) and the initial peers. The listen port belongs to the
/// <see cref="IO.IPacketConn"/>, not here.
/// </summary>
public sealed record DeviceConfig
{
    /// <summary>The WireGuard static private key (ownership passes to the device).</summary>
    public required NodePrivateKey PrivateKey { get; init; }

    /// <summary>This device's overlay IPv4 or IPv6 address, if any (only used for the subnet broadcast).</summary>
    public IPAddress? Address { get; init; }

    /// <summary>Prefix length of the overlay network <see cref="Address"/> lives in (e.g. 10 for 100.64.0.0/10).</summary>
    public int PrefixLength { get; init; }

    /// <summary>The peers to add at creation.</summary>
    public IReadOnlyList<PeerConfig> Peers { get; init; } = [];

    /// <summary>Data-plane tuning; defaults suit a desktop agent.</summary>
    public WireGuardDeviceOptions Options { get; init; } = new();
}
