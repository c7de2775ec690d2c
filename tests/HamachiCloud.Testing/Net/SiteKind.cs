namespace HamachiCloud.Testing.Net;

/// <summary>What stands between a <see cref="NatLab"/> site and the simulated internet (infra/lab/nat.sh).</summary>
public enum SiteKind
{
    /// <summary>The host holds a public address itself (no NAT, no firewall).</summary>
    None,

    /// <summary>Linux masquerade: endpoint-independent mapping, address-and-port-dependent filtering.</summary>
    Eim,

    /// <summary>Masquerade fully-random: endpoint-dependent mapping (a random public port per new 5-tuple).</summary>
    Symmetric,

    /// <summary>Like <see cref="Eim"/>, and every UDP packet from the LAN is dropped by the router; TCP passes.</summary>
    UdpBlocked,

    /// <summary>Like <see cref="Eim"/> with two hosts on the same LAN; the router does not hairpin.</summary>
    SameLan,
}
