using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Protocol.Relay;

namespace HamachiCloud.Relay.Tests;

/// <summary>A relay client in a test: sends frames, receives frames with a timeout (null when nothing came).</summary>
internal interface IRelayTestClient : IAsyncDisposable
{
    NodeKey Key { get; }

    /// <summary>The node key's private half: answers the relay's Bind challenges.</summary>
    NodePrivateKey PrivateKey { get; }

    Task SendAsync(byte[] frame);

    Task<byte[]?> ReceiveAsync(TimeSpan timeout);
}

internal static class RelayTestClients
{
    /// <summary>A random public key (a peer that never binds itself).</summary>
    public static NodeKey NewKey() => NodeKey.FromBytes(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>A node key pair for a client that binds (it must answer the relay's challenges).</summary>
    public static NodePrivateKey NewNodeKey()
    {
        using var random = System.Security.Cryptography.RandomNumberGenerator.Create();
        return NodePrivateKey.Generate(random);
    }

    /// <summary>The BindProof answering <paramref name="challenge"/> (a Challenge frame) with <paramref name="key"/> for <paramref name="token"/>.</summary>
    public static byte[] Prove(NodePrivateKey key, byte[] token, byte[] challenge)
    {
        Assert.True(RelayFrame.TryParse(challenge, out var frame), "not a relay frame");
        Assert.True(frame.Type == RelayFrameType.Challenge, $"expected Challenge, got {frame.Type} {(frame.Type == RelayFrameType.Refused ? frame.Reason : default)}");
        var proofKey = new byte[RelayBindProof.KeySize];
        Assert.True(RelayBindProof.TryDeriveAgentKey(key, frame.RelayKey, proofKey));
        var proof = new byte[RelayBindProof.ProofSize];
        RelayBindProof.Compute(proofKey, frame.Cookie, token, proof);
        var answer = new byte[RelayFrame.BindProofSize];
        Assert.True(RelayFrame.TryWriteBindProof(answer, token, frame.Cookie, proof, out _));
        return answer;
    }

    public static byte[] Bind(byte[] token)
    {
        var frame = new byte[RelayFrame.BindSize];
        Assert.True(RelayFrame.TryWriteBind(frame, token, out _));
        return frame;
    }

    public static byte[] Send(NodeKey to, byte[] payload)
    {
        var frame = new byte[RelayFrame.DataOverhead + payload.Length];
        Assert.True(RelayFrame.TryWriteSend(frame, to.Bytes, payload, out _));
        return frame;
    }

    /// <summary>
    /// Binds as an agent does (Bind; a Challenge is answered with a BindProof) and expects BindOk (or fails with what
    /// came instead). Returns every frame sent, as an eavesdropper would capture them.
    /// </summary>
    public static async Task<List<byte[]>> BindOkAsync(this IRelayTestClient client, byte[] token)
    {
        var sent = new List<byte[]> { Bind(token) };
        await client.SendAsync(sent[0]);
        var answer = await client.ReceiveAsync(TimeSpan.FromSeconds(5));
        Assert.NotNull(answer);
        Assert.True(RelayFrame.TryParse(answer, out var frame));
        if (frame.Type == RelayFrameType.Challenge)
        {
            sent.Add(Prove(client.PrivateKey, token, answer));
            await client.SendAsync(sent[1]);
            answer = await client.ReceiveAsync(TimeSpan.FromSeconds(5));
            Assert.NotNull(answer);
            Assert.True(RelayFrame.TryParse(answer, out frame));
        }

        Assert.True(frame.Type == RelayFrameType.BindOk, $"expected BindOk, got {frame.Type} {(frame.Type == RelayFrameType.Refused ? frame.Reason : default)}");
        return sent;
    }

    /// <summary>The next frame must be of <paramref name="type"/>; returns it.</summary>
    public static async Task<byte[]> ExpectAsync(this IRelayTestClient client, RelayFrameType type)
    {
        var answer = await client.ReceiveAsync(TimeSpan.FromSeconds(5));
        Assert.NotNull(answer);
        Assert.True(RelayFrame.TryParse(answer, out var frame));
        Assert.True(frame.Type == type, $"expected {type}, got {frame.Type} {(frame.Type == RelayFrameType.Refused ? frame.Reason : default)}");
        return answer;
    }

    /// <summary>The next frame must be Refused with <paramref name="reason"/>.</summary>
    public static async Task ExpectRefusedAsync(this IRelayTestClient client, RelayRefusal reason)
    {
        var answer = await client.ReceiveAsync(TimeSpan.FromSeconds(5));
        Assert.NotNull(answer);
        Assert.True(RelayFrame.TryParse(answer, out var frame));
        Assert.Equal(RelayFrameType.Refused, frame.Type);
        Assert.Equal(reason, frame.Reason);
    }

    /// <summary>The next frame must be Recv from <paramref name="from"/> with <paramref name="payload"/>.</summary>
    public static async Task ExpectRecvAsync(this IRelayTestClient client, NodeKey from, byte[] payload)
    {
        var answer = await client.ReceiveAsync(TimeSpan.FromSeconds(5));
        Assert.NotNull(answer);
        Assert.True(RelayFrame.TryParse(answer, out var frame));
        Assert.Equal(RelayFrameType.Recv, frame.Type);
        Assert.Equal(from.Bytes.ToArray(), frame.Key.ToArray());
        Assert.Equal(payload, frame.Payload.ToArray());
    }
}

/// <summary>A UDP client bound to a loopback address of its choice.</summary>
internal sealed class UdpRelayClient(IPAddress local, IPEndPoint relay, NodePrivateKey key) : IRelayTestClient
{
    private readonly Socket _socket = Bound(local);

    public NodeKey Key => key.PublicKey;

    public NodePrivateKey PrivateKey => key;

    public Socket Socket => _socket;

    public IPEndPoint Relay => relay;

    public Task SendAsync(byte[] frame) => _socket.SendToAsync(frame, SocketFlags.None, relay);

    public async Task<byte[]?> ReceiveAsync(TimeSpan timeout)
    {
        var buffer = new byte[65536];
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            var result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancel.Token);
            return buffer.AsSpan(0, result.ReceivedBytes).ToArray();
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        key.Dispose();
        return ValueTask.CompletedTask;
    }

    private static Socket Bound(IPAddress local)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 << 20 };
        socket.Bind(new IPEndPoint(local, 0));
        return socket;
    }
}

/// <summary>A WebSocket client of ws://relay/relay; a reader task queues every message (cancelling a receive would abort the socket).</summary>
internal sealed class WebSocketRelayClient : IRelayTestClient
{
    private readonly ClientWebSocket _socket = new();
    private readonly System.Threading.Channels.Channel<byte[]> _inbox = System.Threading.Channels.Channel.CreateUnbounded<byte[]>();
    private Task? _reader;

    private WebSocketRelayClient(NodePrivateKey key) => PrivateKey = key;

    public NodeKey Key => PrivateKey.PublicKey;

    public NodePrivateKey PrivateKey { get; }

    public static async Task<WebSocketRelayClient> ConnectAsync(Uri url, NodePrivateKey key)
    {
        var client = new WebSocketRelayClient(key);
        await client._socket.ConnectAsync(url, CancellationToken.None);
        client._reader = Task.Run(client.ReadAsync);
        return client;
    }

    /// <summary>
    /// Connects from the loopback address <paramref name="local"/> (the relay sees it as the direct peer, e.g. a
    /// proxy), optionally sending <c>X-Forwarded-For: <paramref name="forwardedFor"/></c> in the upgrade request.
    /// </summary>
    public static async Task<WebSocketRelayClient> ConnectFromAsync(Uri url, NodePrivateKey key, IPAddress local, string? forwardedFor)
    {
        var client = new WebSocketRelayClient(key);
        if (forwardedFor is not null)
        {
            client._socket.Options.SetRequestHeader("X-Forwarded-For", forwardedFor);
        }

        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancel) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(local, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancel);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        using var invoker = new HttpMessageInvoker(handler, disposeHandler: false);
        await client._socket.ConnectAsync(url, invoker, CancellationToken.None);
        client._reader = Task.Run(client.ReadAsync);
        return client;
    }

    public Task SendAsync(byte[] frame) => _socket.SendAsync(frame, WebSocketMessageType.Binary, true, CancellationToken.None);

    /// <summary>True when the relay closed (or dropped) the connection within <paramref name="timeout"/>.</summary>
    public async Task<bool> ClosedWithinAsync(TimeSpan timeout)
    {
        var reader = _reader ?? Task.CompletedTask;
        return await Task.WhenAny(reader, Task.Delay(timeout, TimeProvider.System)) == reader;
    }

    public async Task<byte[]?> ReceiveAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            return await _inbox.Reader.ReadAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            }
            catch (WebSocketException)
            {
                // already closing
            }
        }

        _socket.Abort();
        if (_reader is not null)
        {
            await _reader;
        }

        _socket.Dispose();
        PrivateKey.Dispose();
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[70000];
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    length += result.Count;
                }
                while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                _inbox.Writer.TryWrite(buffer.AsSpan(0, length).ToArray());
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // closed
        }
        finally
        {
            _inbox.Writer.TryComplete();
        }
    }
}
