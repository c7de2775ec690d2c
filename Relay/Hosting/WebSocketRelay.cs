using System.Net;
using System.Net.WebSockets;
using System.Threading.Channels;
using HamachiCloud.Protocol.Relay;
using HamachiCloud.Relay.Core;

namespace HamachiCloud.Relay.Hosting;

/// <summary>
/// <c>/relay</c>: the TCP fallback. Each binary WebSocket message is one relay frame; the connection plays the role
/// of the UDP source address (bindings made on it die with it). Replies and forwarded Recv frames go out through
/// a bounded per-connection queue. Admission (<see cref="WebSocketGate"/>) is decided before the upgrade: over the
/// total cap 503, over the per-client cap 429, both with Retry-After. A connection that has no binding
/// <c>Relay:WebSocketBindSeconds</c> after it opened (no BindOk sent on it) is closed (policy violation).
/// </summary>
public static class WebSocketRelay
{
    public const string Path = "/relay";
    private const int MaxMessage = RelayFrame.DataOverhead + RelayFrame.MaxPayload;

    public static async Task HandleAsync(HttpContext context, RelayCore core, RelayDispatcher dispatcher, WebSocketGate gate, TimeSpan bindWithin, TimeProvider time)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("relay: WebSocket upgrade required");
            return;
        }

        var address = context.Connection.RemoteIpAddress ?? IPAddress.IPv6None;
        var admission = gate.TryEnter(address);
        if (admission != WebSocketGate.Admission.Admitted)
        {
            var total = admission == WebSocketGate.Admission.TooManyInTotal;
            context.Response.StatusCode = total ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = total ? "30" : "10";
            await context.Response.WriteAsync(total ? "relay: too many WebSocket connections; try again later" : "relay: too many WebSocket connections from this address");
            return;
        }

        try
        {
            await RunAsync(context, core, dispatcher, gate, bindWithin, time, address);
        }
        finally
        {
            gate.Leave(address);
        }
    }

    private static async Task RunAsync(
        HttpContext context, RelayCore core, RelayDispatcher dispatcher, WebSocketGate gate, TimeSpan bindWithin, TimeProvider time, IPAddress address)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var id = dispatcher.NewConnectionId();
        var remote = new IPEndPoint(address, context.Connection.RemotePort);
        var source = new RelaySource(remote, id);
        var queue = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(4096) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
        dispatcher.Register(id, queue);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var bound = 0;
        using var bindDeadline = time.CreateTimer(
            _ =>
            {
                if (Volatile.Read(ref bound) == 0)
                {
                    gate.ClosedBeforeBind();
                    stop.Cancel();
                }
            },
            null,
            bindWithin,
            Timeout.InfiniteTimeSpan);
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
                        if (IsBindOk(output.AsSpan(0, action.Length)))
                        {
                            Volatile.Write(ref bound, 1);
                        }

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

    private static bool IsBindOk(ReadOnlySpan<byte> reply) =>
        RelayFrame.TryParse(reply, out var frame) && frame.Type == RelayFrameType.BindOk;

    private static async Task WriteAsync(WebSocket socket, ChannelReader<byte[]> reader, CancellationToken cancel)
    {
        await foreach (var message in reader.ReadAllAsync(cancel))
        {
            await socket.SendAsync(message, WebSocketMessageType.Binary, true, cancel);
        }
    }
}
