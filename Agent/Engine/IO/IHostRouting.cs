using System.Net;

namespace HamachiCloud.Agent.Engine.IO;

/// <summary>
/// The host's routing around the overlay interface (the I/O seam of gateway routes): the prefixes
/// of the other interfaces, kernel routes to gateway prefixes through the overlay interface, and
/// forwarding + masquerade on a gateway. Linux: <c>LinuxHostRouting</c> (ip, nftables); tests use
/// an in-memory twin. Calls come from one thread at a time (the daemon's lock).
/// </summary>
public interface IHostRouting : IDisposable
{
    /// <summary>Subnets of this machine's interfaces except loopback and the overlay interface.</summary>
    IReadOnlyList<LocalPrefix> LocalPrefixes();

    /// <summary>Routes <paramref name="prefix"/> through the overlay interface; throws <see cref="IOException"/> naming the cause when the system refuses.</summary>
    void AddRoute(IPNetwork prefix);

    /// <summary>Removes a route added by <see cref="AddRoute"/> (nothing if it is gone already).</summary>
    void RemoveRoute(IPNetwork prefix);

    /// <summary>
    /// Forwards overlay traffic to exactly these LAN prefixes and masquerades it behind this machine's
    /// LAN address (the LAN's hosts need no route back); anything else arriving from the overlay is not
    /// forwarded. An empty list stops forwarding for the overlay and removes the rules.
    /// </summary>
    void Serve(IReadOnlyList<IPNetwork> prefixes);
}
