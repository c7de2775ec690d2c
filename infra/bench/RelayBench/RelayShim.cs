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
    private readonly NodePrivateKey _pa = NewKey();
    private readonly NodePrivateKey _pb = NewKey();
    private readonly NodeKey _ka;
    private readonly NodeKey _kb;
    private volatile IPEndPoint? _client;
    private volatile bool _stop;

    public RelayShim(IPEndPoint relay, IPEndPoint target, Guid relayId, SigningKey issuer, DateTimeOffset expires, int listenPort = 0)
    {
        _listen = Udp(listenPort);
        _relay = relay;
        _target = target;
        _ka = _pa.PublicKey;
        _kb = _pb.PublicKey;
        Bind(_a, _pa, new RelayToken(relayId, _ka, _kb, expires, 0).ToBytes(issuer));
        Bind(_b, _pb, new RelayToken(relayId, _kb, _ka, expires, 0).ToBytes(issuer));
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
        _pa.Dispose();
        _pb.Dispose();
    }

    private static NodePrivateKey NewKey()
    {
        using var random = System.Security.Cryptography.RandomNumberGenerator.Create();
        return NodePrivateKey.Generate(random);
    }

    private static Socket Udp(int port = 0)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 8 << 20, SendBufferSize = 8 << 20 };
        s.Bind(new IPEndPoint(IPAddress.Loopback, port));
        return s;
    }

    /// <summary>Binds as an agent does: Bind, and the relay's Challenge answered with a BindProof of the node key.</summary>
    private void Bind(Socket socket, NodePrivateKey key, byte[] token)
    {
        var frame = new byte[RelayFrame.BindSize];
        RelayFrame.TryWriteBind(frame, token, out _);
        socket.SendTo(frame, _relay);
        var answer = new byte[256];
        socket.ReceiveTimeout = 5000;
        var n = socket.Receive(answer);
        if (RelayFrame.TryParse(answer.AsSpan(0, n), out var challenge) && challenge.Type == RelayFrameType.Challenge)
        {
            var proofKey = new byte[RelayBindProof.KeySize];
            var proof = new byte[RelayBindProof.ProofSize];
            if (!RelayBindProof.TryDeriveAgentKey(key, challenge.RelayKey, proofKey))
            {
                throw new InvalidOperationException("relay challenge with an invalid relay key");
            }

            RelayBindProof.Compute(proofKey, challenge.Cookie, token, proof);
            var answerFrame = new byte[RelayFrame.BindProofSize];
            RelayFrame.TryWriteBindProof(answerFrame, token, challenge.Cookie, proof, out _);
            socket.SendTo(answerFrame, _relay);
            n = socket.Receive(answer);
        }

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
