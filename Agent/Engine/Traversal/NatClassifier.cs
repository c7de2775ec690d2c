using HamachiCloud.Agent.Engine.IO;
using HamachiCloud.Protocol.Control;

namespace HamachiCloud.Agent.Engine.Traversal;

/// <summary>
/// Turns <see cref="NatObservations"/> into a <see cref="NatReport"/> (RFC 4787 / RFC 5780 terms). Pure.
/// <list type="bullet">
/// <item>UDP blocked: no Binding request was answered (then nothing else is known).</item>
/// <item>Mapping: endpoint-independent when every answered Binding returned the same mapped endpoint;
/// unknown with fewer than two different destinations answered.</item>
/// <item>Filtering: an answer from the other address and port → endpoint-independent; else an answer
/// from the other port only → address-dependent; both silent → address-and-port-dependent; a server that
/// cannot change address leaves it unknown unless the change-port test was silent.</item>
/// <item>Port preservation: the first mapped port equals the local port. Hairpinning: the request to
/// the own mapped endpoint came back.</item>
/// </list>
/// </summary>
public static class NatClassifier
{
    public const string EndpointIndependent = "endpoint-independent";
    public const string EndpointDependent = "endpoint-dependent";
    public const string AddressDependent = "address-dependent";
    public const string AddressAndPortDependent = "address-and-port-dependent";

    public static NatReport Classify(NatObservations o)
    {
        NetEndpoint? first = null;
        var destinations = new HashSet<NetEndpoint>();
        var independent = true;
        foreach (var (to, mapped) in o.Bindings)
        {
            if (mapped is not { } m)
            {
                continue;
            }

            first ??= m;
            destinations.Add(to);
            independent &= m == first;
        }

        if (first is not { } reflexive)
        {
            return new NatReport(UdpBlocked: o.Bindings.Count > 0 ? true : null, Relays: o.Relays);
        }

        bool? eim = destinations.Count >= 2 ? independent : null;
        var filtering = (o.ChangeIpAndPort, o.ChangePort) switch
        {
            (ProbeOutcome.Answered, _) => EndpointIndependent,
            (ProbeOutcome.Silent, ProbeOutcome.Answered) => AddressDependent,
            (ProbeOutcome.Silent or ProbeOutcome.Unsupported, ProbeOutcome.Silent) => AddressAndPortDependent,
            _ => null,
        };
        bool? eif = filtering is not null ? filtering == EndpointIndependent
            : o.ChangeIpAndPort == ProbeOutcome.Silent ? false
            : null;
        bool? hairpin = o.Hairpin switch
        {
            ProbeOutcome.Answered => true,
            ProbeOutcome.Silent => false,
            _ => null,
        };
        return new NatReport(
            MappedEndpoint: reflexive.ToString(),
            EndpointIndependentMapping: eim,
            EndpointIndependentFiltering: eif,
            PortPreserved: reflexive.Port == o.LocalPort,
            Hairpinning: hairpin,
            UdpBlocked: false,
            Mapping: eim switch { true => EndpointIndependent, false => EndpointDependent, null => null },
            Filtering: filtering,
            Relays: o.Relays);
    }
}
