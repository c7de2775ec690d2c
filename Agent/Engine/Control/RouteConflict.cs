using System.Net;

namespace HamachiCloud.Agent.Engine.Control;

/// <summary>A gateway prefix this device does not route, and why (<see cref="Message"/> is what the CLI and the log show).</summary>
public sealed record RouteConflict(IPNetwork Prefix, string Via, string Message);
