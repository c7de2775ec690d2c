namespace HamachiCloud.Protocol.Control;

/// <summary>
/// Server → agent: the server lost these peers without a goodbye. Keep the tunnels, probe the
/// peers directly, and mark them offline locally only if they stay silent past the timeout.
/// </summary>
public sealed record VerifyPeersRequest(IReadOnlyList<Guid> DeviceIds);
