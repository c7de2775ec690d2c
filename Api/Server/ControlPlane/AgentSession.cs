using HamachiCloud.Protocol.Control;

namespace HamachiCloud.Api.ControlPlane;

/// <summary>
/// The login state of one control connection (kept in the connection's Items): New → Hello →
/// LoggedIn, or Refused / Closed. Not thread-safe; SignalR runs one invocation per connection at a time.
/// </summary>
internal sealed class AgentSession
{
    public AgentStage Stage { get; set; } = AgentStage.New;
    public int Version { get; set; }
    public Guid DeviceId { get; set; }
    public Guid UserId { get; set; }
    public byte[] AgentNonce { get; set; } = [];
    public byte[] ServerNonce { get; set; } = [];

    /// <summary>What the hello said about the agent (sanitized), stored on the device at login.</summary>
    public string? AgentVersion { get; set; }

    public string? Os { get; set; }

    /// <summary>Per-method budgets after login (created at login).</summary>
    public HubCallBudget? Budget { get; set; }

    /// <summary>The last full map sent on request, by version: asked again unchanged, it is sent again without reading or signing.</summary>
    public (long Version, SignedMessage Message)? LastRequestedMap { get; set; }

    /// <summary>Closes a refused connection shortly after the refusal was delivered.</summary>
    public ITimer? AbortTimer { get; set; }
}
