using System.Net;

namespace HamachiCloud.Testing.Net;

/// <summary>
/// A site of a <see cref="NatLab"/>: its kind, its NAT router namespace (null for <see cref="SiteKind.None"/>),
/// the public address the internet sees (the router's, or the host's own) and its hosts (two for
/// <see cref="SiteKind.SameLan"/>, else one). Add nftables rules to <see cref="Router"/> to cut paths.
/// </summary>
public sealed record NatSite(int Index, SiteKind Kind, NetworkNamespace? Router, IPAddress PublicAddress, IReadOnlyList<NatHost> Hosts)
{
    /// <summary>The first (often only) host.</summary>
    public NatHost Host => Hosts[0];

    /// <summary>The namespace whose nftables rules decide what the site may send and receive (the router, or the host for <see cref="SiteKind.None"/>).</summary>
    public NetworkNamespace Edge => Router ?? Host.Namespace;
}
