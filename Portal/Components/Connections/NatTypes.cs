using HamachiCloud.Protocol.Control;

namespace HamachiCloud.Portal.Components.Connections;

/// <summary>
/// Pure: a NAT report read the way hole punching cares about it (RFC 4787 words; the booleans stand
/// in when the words are missing, as the Api's own type does). "Open" = endpoint-independent
/// mapping and filtering; "cone" = endpoint-independent mapping with a filter; "symmetric" = a new
/// public port per destination.
/// </summary>
public static class NatTypes
{
    public const string Independent = "endpoint-independent";
    public const string Dependent = "endpoint-dependent";
    public const string AddressDependent = "address-dependent";
    public const string AddressAndPortDependent = "address-and-port-dependent";

    public static bool IsUdpBlocked(NatReport? nat) => nat?.UdpBlocked == true;

    /// <summary>True: one public port per socket; false: one per destination (symmetric); null: not measured.</summary>
    public static bool? IndependentMapping(NatReport? nat) => nat switch
    {
        null or { UdpBlocked: true } => null,
        { Mapping: Independent } => true,
        { Mapping: Dependent } => false,
        _ => nat.EndpointIndependentMapping,
    };

    /// <summary>endpoint-independent, address-dependent, address-and-port-dependent, or null (not measured).</summary>
    public static string? Filtering(NatReport? nat) => nat switch
    {
        null or { UdpBlocked: true } => null,
        { Filtering: Independent or AddressDependent or AddressAndPortDependent } => nat.Filtering,
        { EndpointIndependentFiltering: true } => Independent,
        _ => null, // "false" alone does not say which of the two stricter filters it is
    };

    public static bool IsSymmetric(NatReport? nat) => IndependentMapping(nat) == false;

    public static bool IsOpen(NatReport? nat) => IndependentMapping(nat) == true && Filtering(nat) == Independent;

    /// <summary>Short words for a node label: open, cone NAT, symmetric NAT, UDP blocked, NAT unknown.</summary>
    public static string Brief(NatReport? nat, string? apiType = null) => nat switch
    {
        { UdpBlocked: true } => "UDP blocked",
        _ when IsOpen(nat) => "open",
        _ when IndependentMapping(nat) == true => "cone NAT",
        _ when IsSymmetric(nat) => "symmetric NAT",
        _ => apiType switch
        {
            "udp-blocked" => "UDP blocked",
            "symmetric" => "symmetric NAT",
            "endpoint-independent" => "cone NAT",
            _ => "NAT unknown",
        },
    };

    /// <summary>The NAT type in a sentence, as the pair detail names it.</summary>
    public static string Describe(NatReport? nat, string? apiType = null)
    {
        if (nat is null && apiType is null)
        {
            return "not measured yet";
        }

        if (IsUdpBlocked(nat) || apiType == "udp-blocked" && nat is null)
        {
            return "UDP blocked (no STUN server answered)";
        }

        if (IsOpen(nat))
        {
            return "open: one public port per socket, accepts packets from any endpoint";
        }

        return IndependentMapping(nat) switch
        {
            true => Filtering(nat) switch
            {
                AddressDependent => "cone NAT: one public port per socket, accepts packets from addresses it has sent to",
                AddressAndPortDependent => "port-restricted cone NAT: one public port per socket, accepts packets only from endpoints it has sent to",
                _ => "cone NAT: one public port per socket (filtering not measured)",
            },
            false => "symmetric NAT: a new public port for every destination",
            _ => apiType switch
            {
                "symmetric" => "symmetric NAT: a new public port for every destination",
                "endpoint-independent" => "cone NAT: one public port per socket",
                _ => "not classified (the STUN server could not tell)",
            },
        };
    }
}
