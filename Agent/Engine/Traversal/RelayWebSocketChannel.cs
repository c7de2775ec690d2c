using System.Net.WebSockets;
using System.Threading.Channels;

namespace HamachiCloud.Agent.Engine.Traversal;

/// <summary>
/// The TCP fallback to a relay: a <see cref="ClientWebSocket"/> to its <c>/relay</c> URL carrying one
/// relay frame per binary message. Outbound frames are queued (bounded, drop when full, as UDP);
/// inbound frames are handed to <c>onFrame</c>. Reconnects with back-off after a failure and calls
/// <c>onConnected</c> each time (the relay client re-binds then). Thread-safe. Dispose to stop (does not block).
/// </summary>
public sealed class RelayWebSocketChannel : IRelayChannel, IDisposable
{
    private const int QueueLength = 1024;
    private const int MaxFrame = 65536 + 64;

    private readonly Uri _url;
    private readonly Action<ReadOnlyMemory<byte>> _onFrame;
    private readonly Action _onConnected;
    private readonly Action<string> _log;
    private readonly TimeProvider _time;
    private readonly Channel<byte[]> _queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(QueueLength) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private long _dropped;

    public RelayWebSocketChannel(Uri url, Action<ReadOnlyMemory<byte>> onFrame, Action onConnected, TimeProvider time, Action<string>? log = null)
    {
        _url = url;
        _onFrame = onFrame;
        _onConnected = onConnected;
        _time = time;
        _log = log ?? (_ => { });
        _ = Task.Run(RunAsync);
    }

    /// <summary>True while the WebSocket is open.</summary>
    public bool Connected { get; private set; }

    public long Dropped => Interlocked.Read(ref _dropped);

    public void Enqueue(ReadOnlySpan<byte> frame)
    {
        if (!_queue.Writer.TryWrite(frame.ToArray()))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>
    /// Stops the channel without waiting: the connection is aborted and the loop ends on its own. Never blocks,
    /// so the relay client may close a channel from any thread, this channel's own callbacks included.
    /// </summary>
    public void Dispose()
    {
        _stop.Cancel();
        _queue.Writer.TryComplete();
    }

    private async Task RunAsync()
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!_stop.IsCancellationRequested)
        {
            using var socket = new ClientWebSocket();
            try
            {
                await socket.ConnectAsync(_url, _stop.Token).ConfigureAwait(false);
                Connected = true;
                backoff = TimeSpan.FromMilliseconds(250);
                _log($"relay WebSocket {_url} connected");
                _onConnected();
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var send = SendLoopAsync(socket, linked.Token);
                await ReceiveLoopAsync(socket, linked.Token).ConfigureAwait(false);
                await linked.CancelAsync().ConfigureAwait(false);
                await send.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or System.Net.Http.HttpRequestException)
            {
                _log($"relay WebSocket {_url}: {Describe(e)}; retrying in {backoff.TotalSeconds:0.##} s");
            }
            finally
            {
                Connected = false;
            }

            try
            {
                await Task.Delay(backoff, _time, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(8).Ticks));
        }
    }

    /// <summary>The error and its root cause when that says more (e.g. "Unable to connect…: The remote certificate is invalid… UntrustedRoot").</summary>
    private static string Describe(Exception e)
    {
        var root = e.GetBaseException();
        return ReferenceEquals(root, e) || e.Message.Contains(root.Message, StringComparison.Ordinal) ? e.Message : $"{e.Message}: {root.Message}";
    }

    private async Task SendLoopAsync(ClientWebSocket socket, CancellationToken ct)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                while (_queue.Reader.TryRead(out var frame))
                {
                    await socket.SendAsync(frame, WebSocketMessageType.Binary, true, ct).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            // The receive loop notices the failure and the connection is made again.
        }
    }

    private async Task ReceiveLoopAsync(ClientWebSocket socket, CancellationToken ct)
    {
        var buffer = new byte[MaxFrame];
        while (socket.State == WebSocketState.Open)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(length), ct).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                length += result.Count;
            }
            while (!result.EndOfMessage && length < buffer.Length);

            if (result.EndOfMessage && result.MessageType == WebSocketMessageType.Binary)
            {
                _onFrame(buffer.AsMemory(0, length));
            }
        }
    }
}
