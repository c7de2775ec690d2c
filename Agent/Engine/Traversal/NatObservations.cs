using HamachiCloud.Agent.Engine.IO;
using HamachiCloud.Protocol.Control;

namespace HamachiCloud.Agent.Engine.Traversal;

/// <summary>
/// What one discovery run saw, the input of <see cref="NatClassifier"/>.
/// <see cref="Bindings"/>: every plain Binding request (no CHANGE-REQUEST) and the mapped endpoint
/// it returned (null: no answer), in order; the first answered one is the server-reflexive candidate.
/// <see cref="ChangeIpAndPort"/> / <see cref="ChangePort"/>: the filtering tests against the first
/// answering server. <see cref="Hairpin"/>: a request sent to the own mapped endpoint.
/// </summary>
public sealed record NatObservations(
    ushort LocalPort,
    IReadOnlyList<(NetEndpoint To, NetEndpoint? Mapped)> Bindings,
    IReadOnlyList<RelayLatency> Relays,
    ProbeOutcome ChangeIpAndPort,
    ProbeOutcome ChangePort,
    ProbeOutcome Hairpin);
