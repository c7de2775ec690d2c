using HamachiCloud.Agent.Engine.IO;

namespace HamachiCloud.Agent.Engine.Traversal;

/// <summary>Sends one datagram from the agent's UDP socket (the socket mux's raw send). Must not block for long.</summary>
public delegate void StunSend(ReadOnlySpan<byte> datagram, NetEndpoint to);
