using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using HamachiCloud.Agent.Engine.IO;
using HamachiCloud.Agent.Engine.Traversal;
using HamachiCloud.Testing.Net;

namespace HamachiCloud.Integration.Tests.Nat;

/// <summary>
/// A <see cref="NatProbe"/> on a real UDP socket bound in a lab namespace: a receive thread feeds every
/// datagram to <see cref="NatProbe.OnStunDatagram"/>, sends go straight to the socket.
/// </summary>
internal sealed class ProbeSocket : IDisposable
{
    private readonly Socket _socket;
    private readonly Thread _receiver;

    public ProbeSocket(NetworkNamespace ns)
    {
        _socket = ns.Invoke(() =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(IPAddress.Any, 0));
            return s;
        });
        LocalPort = (ushort)((IPEndPoint)_socket.LocalEndPoint!).Port;
        Probe = new NatProbe(Send, LocalPort, TimeProvider.System, RandomNumberGenerator.Create());
        _receiver = new Thread(Receive) { IsBackground = true, Name = "probe-socket" };
        _receiver.Start();
    }

    public ushort LocalPort { get; }

    public NatProbe Probe { get; }

    public void Dispose()
    {
        _socket.Dispose();
        _receiver.Join(TimeSpan.FromSeconds(5));
    }

    private void Send(ReadOnlySpan<byte> datagram, NetEndpoint to)
    {
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, to.ToIPEndPoint());
        }
        catch (SocketException)
        {
            // Unreachable destinations are what the probe measures.
        }
    }

    private void Receive()
    {
        var buffer = new byte[2048];
        while (true)
        {
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            int n;
            try
            {
                n = _socket.ReceiveFrom(buffer, ref from);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                continue; // ICMP port unreachable from an earlier send
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            Probe.OnStunDatagram(buffer.AsSpan(0, n), NetEndpoint.From((IPEndPoint)from));
        }
    }
}
