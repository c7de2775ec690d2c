namespace HamachiCloud.Api.ControlPlane;

/// <summary>Where a control connection is in its login (see <see cref="AgentSession"/>).</summary>
internal enum AgentStage
{
    New,
    Hello,
    LoggedIn,
    Refused,
    Closed,
}
