using System.Net;

namespace HamachiCloud.Agent.Engine.Control;

/// <summary>An address this device's tunnels and control channel travel to on the underlay (the server, a relay, its default gateway, a peer's endpoint in use), and what it is.</summary>
public sealed record UnderlayAddress(IPAddress Address, string What);
