using HamachiCloud.Agent.Platform.Linux;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Agent.Config;

/// <summary>The [Interface] section: our key, overlay addresses, UDP port and MTU.</summary>
public sealed record InterfaceSection
{
    /// <summary>Our static private key (the file's PrivateKey). Ownership passes to the device.</summary>
    public required NodePrivateKey PrivateKey { get; init; }

    /// <summary>Overlay addresses with their prefix (Address, one or more, comma separated or repeated).</summary>
    public IReadOnlyList<InterfaceAddress> Addresses { get; init; } = [];

    /// <summary>UDP port to listen on; null or 0 = any free port.</summary>
    public ushort? ListenPort { get; init; }

    /// <summary>Interface MTU; null = <see cref="LinuxTun.DefaultMtu"/>.</summary>
    public int? Mtu { get; init; }
}
