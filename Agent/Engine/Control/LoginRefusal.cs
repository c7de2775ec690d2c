namespace HamachiCloud.Agent.Engine.Control;

/// <summary>Why a login did not happen: a stable code (<see cref="Protocol.Control.LoginErrors"/> or local) and a reason to show.</summary>
public sealed record LoginRefusal(string Code, string Reason)
{
    public override string ToString() => $"{Reason} ({Code})";
}
