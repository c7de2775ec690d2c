using System.Net;

namespace HamachiCloud.Agent.Engine.Config;

/// <summary>Data-plane tuning knobs, validated by <see cref="Validate"/> when the device is built.</summary>
public sealed record WireGuardDeviceOptions
{
    /// <summary>Packets per TUN read / UDP receive call (the batch size of sendmmsg/recvmmsg).</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Packets held per peer while it has no session (wireguard-go: 128); older ones are dropped.</summary>
    public int StagedPacketsPerPeer { get; init; } = 128;

    /// <summary>Broadcast/multicast packets per second allowed per source (token bucket, burst = one second's worth).</summary>
    public int BroadcastPacketsPerSecond { get; init; } = 2000;

    /// <summary>
    /// Handshake messages per second above which the device counts as under load and answers
    /// handshakes without a valid mac2 with cookie replies (wireguard-go: a full handshake queue).
    /// </summary>
    public int UnderLoadHandshakesPerSecond { get; init; } = 128;

    /// <summary>Largest UDP datagram accepted; longer ones are dropped as malformed.</summary>
    public int MaxDatagramSize { get; init; } = 2048;

    /// <summary>This device's overlay address; with <see cref="OverlayPrefixLength"/> it gives the subnet broadcast address.</summary>
    public IPAddress? OverlayAddress { get; init; }

    /// <summary>Prefix length of the overlay network (e.g. 10 for 100.64.0.0/10 → broadcast 100.127.255.255).</summary>
    public int OverlayPrefixLength { get; init; }

    /// <summary>Throws naming the first bad key.</summary>
    public void Validate()
    {
        if (BatchSize is < 1 or > 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "engine options: BatchSize must be 1..1024");
        }

        if (StagedPacketsPerPeer < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(StagedPacketsPerPeer), StagedPacketsPerPeer, "engine options: StagedPacketsPerPeer must be positive");
        }

        if (BroadcastPacketsPerSecond < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BroadcastPacketsPerSecond), BroadcastPacketsPerSecond, "engine options: BroadcastPacketsPerSecond must be positive");
        }

        if (UnderLoadHandshakesPerSecond < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(UnderLoadHandshakesPerSecond), UnderLoadHandshakesPerSecond, "engine options: UnderLoadHandshakesPerSecond must be >= 0");
        }

        var maxPrefix = OverlayAddress?.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32;
        if (OverlayPrefixLength < 0 || OverlayPrefixLength > maxPrefix)
        {
            throw new ArgumentOutOfRangeException(nameof(OverlayPrefixLength), OverlayPrefixLength, $"engine options: OverlayPrefixLength must be 0..{maxPrefix}");
        }

        if (MaxDatagramSize is < 148 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDatagramSize), MaxDatagramSize, "engine options: MaxDatagramSize must be 148..65535");
        }
    }
}
