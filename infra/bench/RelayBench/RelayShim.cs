using System.Net;
using System.Net.Sockets;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.Relay;

namespace RelayBench;

/// <summary>
/// Carries a UDP conversation through the relay: datagrams from a local application to <see cref="Listen"/> go
/// as Send frames from node A to node B; B unwraps them and sends them to the target; the target's answers travel
/// back the same way. Both nodes bind with tokens signed by the bench's issuer key.
/// </summary>
internal sealed class RelayShim : IDisposable
{
    private readonly Socket _listen;
    private readonly Socket _a = Udp();
    private readonly Socket _b = Udp();
    private readonly IPEndPoint _relay;
    private readonly IPEndPoint _target;
    private readonly NodeKey _ka = NodeKey.FromBytes(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private readonly NodeKey _kb = NodeKey.FromBytes(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private volatile IPEndPoint? _client;
    private volatile bool _stop;

    public RelayShim(IPEndPoint relay, IPEndPoint target, Guid relayId, SigningKey issuer, DateTimeOffset expires, int listenPort = 0)
    {
        _listen = Udp(listenPort);
        _relay = relay;
        _target = target;
        Bind(_a, new RelayToken(relayId, _ka, _kb, expires, 0).ToBytes(issuer));
        Bind(_b, new RelayToken(relayId, _kb, _ka, expires, 0).ToBytes(issuer));
        foreach (var loop in new ThreadStart[] { FromApplication, AtA, AtB })
        {
            new Thread(loop) { IsBackground = true }.Start();
        }
    }

    public IPEndPoint Listen => (IPEndPoint)_listen.LocalEndPoint!;

    public void Dispose()
    {
        _stop = true;
        _listen.Dispose();
        _a.Dispose();
        _b.Dispose();
    }

    private static Socket Udp(int port = 0)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 8 << 20, SendBufferSize = 8 << 20 };
        s.Bind(new IPEndPoint(IPAddress.Loopback, port));
        return s;
    }

    private void Bind(Socket socket, byte[] token)
    {
        var frame = new byte[RelayFrame.BindSize];
        RelayFrame.TryWriteBind(frame, token, out _);
        socket.SendTo(frame, _relay);
        var answer = new byte[256];
        socket.ReceiveTimeout = 5000;
        var n = socket.Receive(answer);
        socket.ReceiveTimeout = 0;
        if (!RelayFrame.TryParse(answer.AsSpan(0, n), out var parsed) || parsed.Type != RelayFrameType.BindOk)
        {
            throw new InvalidOperationException($"relay refused the bench's bind ({(n > 4 ? answer[3] : 0)})");
        }
    }

    // Application → A → relay.
    private void FromApplication() => Pump(_listen, (datagram, from) =>
    {
        _client = from;
        Wrap(_a, _kb, datagram);
    });

    // Relay → A (answers from B) → application.
    private void AtA() => Pump(_a, (datagram, _) =>
    {
        if (RelayFrame.TryParse(datagram, out var frame) && frame.Type == RelayFrameType.Recv && _client is { } client)
        {
            _listen.SendTo(frame.Payload, SocketFlags.None, client);
        }
    });

    // Relay → B → target; the target's answers on B's socket → relay → A.
    private void AtB() => Pump(_b, (datagram, from) =>
    {
        if (RelayFrame.TryParse(datagram, out var frame))
        {
            if (frame.Type == RelayFrameType.Recv)
            {
                _b.SendTo(frame.Payload, SocketFlags.None, _target);
            }
        }
        else if (from.Equals(_target))
        {
            Wrap(_b, _ka, datagram);
        }
    });

    private void Wrap(Socket via, NodeKey to, ReadOnlySpan<byte> payload)
    {
        Span<byte> frame = stackalloc byte[RelayFrame.DataOverhead + payload.Length];
        RelayFrame.TryWriteSend(frame, to.Bytes, payload, out var n);
        via.SendTo(frame[..n], SocketFlags.None, _relay);
    }

    private delegate void Handler(ReadOnlySpan<byte> datagram, IPEndPoint from);

    private void Pump(Socket socket, Handler handler)
    {
        var buffer = new byte[65536];
        EndPoint remote = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop)
        {
            try
            {
                var n = socket.ReceiveFrom(buffer, ref remote);
                handler(buffer.AsSpan(0, n), (IPEndPoint)remote);
            }
            catch (SocketException)
            {
                if (_stop)
                {
                    return;
                }
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }
}
