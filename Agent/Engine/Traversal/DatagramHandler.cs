using HamachiCloud.Agent.Engine.IO;

namespace HamachiCloud.Agent.Engine.Traversal;

/// <summary>Receives a non-WireGuard datagram from the socket mux (on the device's inbound thread: return quickly, copy what you keep).</summary>
public delegate void DatagramHandler(ReadOnlySpan<byte> datagram, NetEndpoint from);

/// <summary>Receives a relay control frame (BindOk, Refused) from relay <paramref name="relayIndex"/>.</summary>
public delegate void RelayControlHandler(int relayIndex, ReadOnlySpan<byte> frame);
