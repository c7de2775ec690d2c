using System.Net;

namespace HamachiCloud.Testing.Net;

/// <summary>A host namespace of a <see cref="NatLab"/> site and its address (public for <see cref="SiteKind.None"/>, else on the LAN).</summary>
public sealed record NatHost(NetworkNamespace Namespace, IPAddress Address);
