using System.Net;

namespace HamachiCloud.Relay.Core;

/// <summary>
/// Where a frame came from: a UDP source address (<see cref="ConnectionId"/> 0) or a WebSocket connection (its id,
/// with the client's remote address for ban checks). Equality by value.
/// </summary>
public readonly record struct RelaySource(IPEndPoint Endpoint, long ConnectionId)
{
    public bool IsWebSocket => ConnectionId != 0;

    public static RelaySource Udp(IPEndPoint endpoint) => new(endpoint, 0);

    public override string ToString() => IsWebSocket ? $"ws#{ConnectionId}({Endpoint})" : $"udp({Endpoint})";
}
