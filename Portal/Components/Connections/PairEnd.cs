using HamachiCloud.Protocol.Control;

namespace HamachiCloud.Portal.Components.Connections;

/// <summary>
/// One end of a pair: a device, whose it is, and its latest NAT report (null: not measured yet).
/// <see cref="NatType"/>: the Api's one-word type, used when the report itself is absent.
/// </summary>
public sealed record PairEnd(Guid DeviceId, string Name, NatReport? Nat, string? NatType = null, string? Owner = null);
