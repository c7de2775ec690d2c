using System.Net;
using System.Net.Sockets;
using HamachiCloud.Protocol.Relay;
using HamachiCloud.Relay.Core;
using HamachiCloud.Relay.Stun;

namespace HamachiCloud.Relay.Hosting;

/// <summary>
/// The UDP sockets: the primary (relay frames + STUN) and up to three more STUN sockets (alternate address and/or
/// port). One receive thread per socket; each datagram is classified by its first bytes ("HCR" → the core, STUN →
/// the responder, anything else dropped and counted) and only what the core or responder decided is sent.
/// </summary>
public sealed class UdpRelayService(RelayCore core, RelayDispatcher dispatcher, StunSockets sockets, StunResponder responder, TimeProvider time, ILogger<UdpRelayService> logger)
    : IHostedService, IDisposable
{
    private readonly Socket?[] _sockets = new Socket?[4];
    private readonly List<Thread> _threads = [];
    private volatile bool _stopping;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var index in sockets.Indices)
        {
            var endpoint = sockets[index]!;
            var socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                socket.ReceiveBufferSize = 4 << 20;
                socket.SendBufferSize = 4 << 20;
                socket.Bind(endpoint);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                throw new InvalidOperationException(
                    $"bind UDP {endpoint} ({(index == 0 ? "Relay:ListenAddress/Relay:Port" : "Relay:AlternateAddress/Relay:AlternatePort")}): {e.Message}", e);
            }

            _sockets[index] = socket;
            var thread = new Thread(() => Receive(index)) { IsBackground = true, Name = $"relay-udp-{index}" };
            _threads.Add(thread);
        }

        dispatcher.Primary = _sockets[0];
        foreach (var thread in _threads)
        {
            thread.Start();
        }

        logger.LogInformation("relay UDP on {Primary}; STUN on {Stun}", sockets[0], string.Join(", ", sockets.Indices.Select(i => sockets[i])));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        foreach (var socket in _sockets)
        {
            socket?.Dispose();
        }

        return Task.CompletedTask;
    }

    public void Dispose()
    {
        foreach (var socket in _sockets)
        {
            socket?.Dispose();
        }
    }

    private void Receive(int index)
    {
        // Allocation-free per relayed datagram: the source address is received into one reused SocketAddress and
        // read into a value-type RelaySource; replies go back through a second reused SocketAddress. Only the STUN
        // path (rare) makes an IPEndPoint.
        var socket = _sockets[index]!;
        var buffer = new byte[65536];
        var output = new byte[65536];
        var remote = new SocketAddress(socket.AddressFamily);
        var reply = new SocketAddress(socket.AddressFamily);
        var maxAddress = remote.Size;
        while (!_stopping)
        {
            int length;
            try
            {
                remote.Size = maxAddress;
                length = socket.ReceiveFrom(buffer, SocketFlags.None, remote);
            }
            catch (SocketException) when (!_stopping)
            {
                continue;
            }
            catch (Exception) when (_stopping)
            {
                return;
            }

            var datagram = buffer.AsSpan(0, length);
            try
            {
                if (RelayFrame.LooksLikeRelayFrame(datagram))
                {
                    if (index != 0)
                    {
                        core.CountDrop(RelayDropReason.NotRelaySocket); // relay frames only on the primary socket
                        continue;
                    }

                    if (!RelaySource.TryUdp(remote, out var source))
                    {
                        core.CountDrop(RelayDropReason.Malformed); // a source address family the relay does not serve
                        continue;
                    }

                    var action = core.Handle(source, datagram, time.GetUtcNow(), output);
                    switch (action.Kind)
                    {
                        case RelayActionKind.Reply when source.TryWriteTo(reply):
                            socket.SendTo(output.AsSpan(0, action.Length), SocketFlags.None, reply);
                            break;
                        case RelayActionKind.Forward:
                            dispatcher.Send(action.To, output.AsSpan(0, action.Length));
                            break;
                    }
                }
                else
                {
                    var from = (IPEndPoint)AnyEndpoint(socket).Create(remote);
                    if (responder.TryAnswer(index, from, datagram, output, out var answer, out var sendFrom) && _sockets[sendFrom] is { } origin)
                    {
                        origin.SendTo(output.AsSpan(0, answer), SocketFlags.None, from);
                        core.CountStun();
                    }
                    else
                    {
                        core.CountDrop(RelayDropReason.Malformed);
                    }
                }
            }
            catch (SocketException e)
            {
                logger.LogDebug("send to {From} failed: {Error}", remote, e.Message);
            }
        }
    }

    private static IPEndPoint AnyEndpoint(Socket socket) =>
        new(socket.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
}
