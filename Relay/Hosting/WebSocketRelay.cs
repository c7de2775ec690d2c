using System.Net;
using System.Net.WebSockets;
using System.Threading.Channels;
using HamachiCloud.Protocol.Relay;
using HamachiCloud.Relay.Core;

namespace HamachiCloud.Relay.Hosting;

/// <summary>
/// <c>/relay</c>: the TCP fallback. Each binary WebSocket message is one relay frame; the connection plays the role
/// of the UDP source address (bindings made on it die with it). Replies and forwarded Recv frames go out through
/// a bounded per-connection queue.
/// </summary>
public static class WebSocketRelay
{
    public const string Path = "/relay";
    private const int MaxMessage = RelayFrame.DataOverhead + RelayFrame.MaxPayload;

    public static async Task HandleAsync(HttpContext context, RelayCore core, RelayDispatcher dispatcher, TimeProvider time)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("relay: WebSocket upgrade required");
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var id = dispatcher.NewConnectionId();
        var remote = new IPEndPoint(context.Connection.RemoteIpAddress ?? IPAddress.IPv6None, context.Connection.RemotePort);
        var source = new RelaySource(remote, id);
        var queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(4096) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
        dispatcher.Register(id, queue);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var writer = WriteAsync(socket, queue.Reader, stop.Token);
        try
        {
            var buffer = new byte[MaxMessage + 1];
            var output = new byte[MaxMessage];
            while (socket.State == WebSocketState.Open)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length >= buffer.Length)
                    {
                        await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, "frame too large", stop.Token);
                        return;
                    }

                    result = await socket.ReceiveAsync(buffer.AsMemory(length), stop.Token);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                var action = core.Handle(source, buffer.AsSpan(0, length), time.GetUtcNow(), output);
                switch (action.Kind)
                {
                    case RelayActionKind.Reply:
                        queue.Writer.TryWrite(output.AsSpan(0, action.Length).ToArray());
                        break;
                    case RelayActionKind.Forward:
                        dispatcher.Send(action.To, output.AsSpan(0, action.Length));
                        break;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away.
        }
        finally
        {
            dispatcher.Unregister(id);
            core.Disconnected(source);
            queue.Writer.TryComplete();
            await stop.CancelAsync();
            try
            {
                await writer;
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
                // Closing.
            }
        }
    }

    private static async Task WriteAsync(WebSocket socket, ChannelReader<byte[]> reader, CancellationToken cancel)
    {
        await foreach (var message in reader.ReadAllAsync(cancel))
        {
            await socket.SendAsync(message, WebSocketMessageType.Binary, true, cancel);
        }
    }
}
