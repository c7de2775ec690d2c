using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using HamachiCloud.Relay.Core;

namespace HamachiCloud.Relay.Hosting;

/// <summary>
/// Sends what the core decided to a source: a UDP datagram from the primary socket, or a message queued on a
/// WebSocket connection (bounded queue; a slow reader loses datagrams, like UDP). Thread-safe.
/// </summary>
public sealed class RelayDispatcher
{
    private readonly ConcurrentDictionary<long, Channel<byte[]>> _webSockets = new();
    [ThreadStatic]
    private static SocketAddress? _address;

    private long _nextConnectionId;

    /// <summary>The primary UDP socket (set by <see cref="UdpRelayService"/> once bound).</summary>
    public Socket? Primary { get; set; }

    public long NewConnectionId() => Interlocked.Increment(ref _nextConnectionId);

    public void Register(long connectionId, Channel<byte[]> queue) => _webSockets[connectionId] = queue;

    public void Unregister(long connectionId) => _webSockets.TryRemove(connectionId, out _);

    public void Send(RelaySource to, ReadOnlySpan<byte> bytes)
    {
        if (to.IsWebSocket)
        {
            if (_webSockets.TryGetValue(to.ConnectionId, out var queue))
            {
                queue.Writer.TryWrite(bytes.ToArray());
            }

            return;
        }

        if (Primary is not { } socket)
        {
            return;
        }

        // One reused socket address per sending thread (the UDP receive thread, WebSocket readers): no allocation.
        var address = _address;
        if (address is null || address.Family != socket.AddressFamily)
        {
            _address = address = new SocketAddress(socket.AddressFamily);
        }

        if (!to.TryWriteTo(address))
        {
            return; // a source of another address family cannot have come from this socket
        }

        try
        {
            socket.SendTo(bytes, SocketFlags.None, address);
        }
        catch (SocketException)
        {
            // Unreachable peers or a full buffer: a lost datagram, like on any UDP path.
        }
    }
}
