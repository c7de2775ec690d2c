namespace HamachiCloud.Protocol.Control;

/// <summary>
/// Outcome of a login. Refusals carry a stable <see cref="ErrorCode"/> (see <see cref="LoginErrors"/>)
/// and a reason the CLI shows. On success the full network map follows through
/// <see cref="IAgentClient.NetworkMap"/>.
/// </summary>
public sealed record LoginResponse(bool Ok, string? ErrorCode = null, string? Error = null);
