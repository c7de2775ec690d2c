using System.Net;

namespace HamachiCloud.Agent.Engine.Control;

/// <summary>
/// What the host's routing should look like for a map (see <see cref="GatewayRoutes.Plan"/>): kernel
/// routes through the overlay interface (<see cref="Install"/>, with the gateway's name), prefixes not
/// routed because they would shadow something (<see cref="Conflicts"/>), and on a gateway the
/// approved prefixes it serves (<see cref="Serve"/>).
/// </summary>
public sealed record RoutePlan(
    IReadOnlyDictionary<IPNetwork, string> Install,
    IReadOnlyList<RouteConflict> Conflicts,
    IReadOnlyList<IPNetwork> Serve)
{
    public static readonly RoutePlan Empty = new(new Dictionary<IPNetwork, string>(), [], []);
}
