using HamachiCloud.Agent.Engine.IO;

namespace HamachiCloud.Agent.Engine.Traversal;

/// <summary>
/// A relay's STUN service as the network map lists it: <see cref="Endpoints"/>[0] is the primary
/// (also the relay's UDP port), [1] (optional) a second address and/or port for the mapping test.
/// </summary>
public sealed record StunServer(Guid RelayId, string Name, IReadOnlyList<NetEndpoint> Endpoints);
