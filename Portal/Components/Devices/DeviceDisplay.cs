using HamachiCloud.Protocol.Control;

namespace HamachiCloud.Portal.Components.Devices;

/// <summary>Pure: words for a device's NAT report (from its agent's STUN discovery).</summary>
public static class DeviceDisplay
{
    public static string Nat(NatReport? nat) => nat switch
    {
        null => "Not measured yet",
        { UdpBlocked: true } => "UDP blocked",
        { EndpointIndependentMapping: false } or { Mapping: "endpoint-dependent" } => "Symmetric",
        { EndpointIndependentFiltering: true } or { Filtering: "endpoint-independent" } => "Open (full cone)",
        { EndpointIndependentMapping: true } or { Mapping: "endpoint-independent" } => "Cone (port-restricted)",
        _ => "Unknown",
    };
}
