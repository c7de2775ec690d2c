using System.Net;
using System.Net.Sockets;
using System.Text;
using HamachiCloud.Testing.Net;

namespace HamachiCloud.Integration.Tests.Nat;

/// <summary>
/// Plain-socket probe servers in a NAT lab's server namespace, to check the lab itself. UDP on
/// Primary:3478, Secondary:3478 and Primary:3479: a datagram "echo" is answered from the same socket
/// with the observed source "ip:port"; "other" is answered from Secondary:3478 ("other-address") and
/// from Primary:3479 ("other-port") instead, as a filtering test. TCP on Primary:8443 writes the
/// observed source and closes.
/// </summary>
internal sealed class Reflector : IDisposable
{
    public const int Port = 3478;
    public const int AltPort = 3479;
    public const int TcpPort = 8443;

    private readonly Socket _primary;
    private readonly Socket _secondary;
    private readonly Socket _primaryAlt;
    private readonly Socket _tcp;
    private readonly CancellationTokenSource _stop = new();

    public Reflector(NatServer server)
    {
        _primary = Udp(server.Namespace, new IPEndPoint(server.Primary, Port));
        _secondary = Udp(server.Namespace, new IPEndPoint(server.Secondary, Port));
        _primaryAlt = Udp(server.Namespace, new IPEndPoint(server.Primary, AltPort));
        _tcp = server.Namespace.Invoke(() =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(server.Primary, TcpPort));
            s.Listen(16);
            return s;
        });
        foreach (var socket in (Socket[])[_primary, _secondary, _primaryAlt])
        {
            _ = ServeUdpAsync(socket);
        }

        _ = ServeTcpAsync();
    }

    /// <summary>A UDP socket bound inside <paramref name="ns"/>.</summary>
    public static Socket Udp(NetworkNamespace ns, IPEndPoint bind) => ns.Invoke(() =>
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(bind);
        return s;
    });

    /// <summary>Sends <paramref name="text"/> and returns every answer that arrives within <paramref name="wait"/>.</summary>
    public static List<(IPEndPoint From, string Text)> Ask(Socket socket, IPEndPoint to, string text, TimeSpan wait)
    {
        socket.SendTo(Encoding.ASCII.GetBytes(text), to);
        var answers = new List<(IPEndPoint, string)>();
        var buffer = new byte[1500];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < wait)
        {
            if (!socket.Poll(wait - clock.Elapsed, SelectMode.SelectRead))
            {
                break;
            }

            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            var n = socket.ReceiveFrom(buffer, ref from);
            answers.Add(((IPEndPoint)from, Encoding.ASCII.GetString(buffer, 0, n)));
            if (text == "echo")
            {
                break;
            }
        }

        return answers;
    }

    /// <summary>The source address:port the reflector at <paramref name="to"/> observed, or null without an answer.</summary>
    public static IPEndPoint? Mapped(Socket socket, IPEndPoint to, TimeSpan wait)
    {
        var answers = Ask(socket, to, "echo", wait);
        return answers.Count == 0 ? null : IPEndPoint.Parse(answers[0].Text);
    }

    /// <summary>Connects over TCP from <paramref name="ns"/> and returns the source the server observed.</summary>
    public static IPEndPoint TcpMapped(NetworkNamespace ns, IPEndPoint to)
    {
        using var socket = ns.Invoke(() => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        socket.ReceiveTimeout = 5000;
        socket.Connect(to);
        var buffer = new byte[100];
        var n = socket.Receive(buffer);
        return IPEndPoint.Parse(Encoding.ASCII.GetString(buffer, 0, n));
    }

    public void Dispose()
    {
        _stop.Cancel();
        _primary.Dispose();
        _secondary.Dispose();
        _primaryAlt.Dispose();
        _tcp.Dispose();
    }

    private async Task ServeUdpAsync(Socket socket)
    {
        var buffer = new byte[1500];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var from = (IPEndPoint)received.RemoteEndPoint;
            var text = Encoding.ASCII.GetString(buffer, 0, received.ReceivedBytes);
            try
            {
                if (text == "other")
                {
                    _secondary.SendTo(Encoding.ASCII.GetBytes("other-address"), from);
                    _primaryAlt.SendTo(Encoding.ASCII.GetBytes("other-port"), from);
                }
                else
                {
                    socket.SendTo(Encoding.ASCII.GetBytes(from.ToString()), from);
                }
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
                // Stopping, or an ICMP error from an earlier datagram.
            }
        }
    }

    private async Task ServeTcpAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                using var client = await _tcp.AcceptAsync(_stop.Token);
                await client.SendAsync(Encoding.ASCII.GetBytes(client.RemoteEndPoint!.ToString()!), _stop.Token);
                client.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
        }
    }
}
