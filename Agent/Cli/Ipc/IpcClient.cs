using System.Net.Sockets;
using System.Text.Json;
using HamachiCloud.Agent.Engine.Control;

namespace HamachiCloud.Agent.Ipc;

/// <summary>The CLI's side of the daemon socket: one request, one response per connection.</summary>
public static class IpcClient
{
    public static async Task<IpcResponse> CallAsync(string socketPath, IpcRequest request, CancellationToken ct)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
        }
        catch (SocketException e)
        {
            throw new IOException($"cannot reach the daemon at {socketPath} ({e.SocketErrorCode}): is `hamachi daemon` running, and are you root or in its group?", e);
        }

        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(request, ControlJson.Options), ct);
        await stream.WriteAsync("\n"u8.ToArray(), ct);
        using var reader = new StreamReader(stream);
        var line = await reader.ReadLineAsync(ct) ?? throw new IOException($"the daemon at {socketPath} closed without answering");
        return JsonSerializer.Deserialize<IpcResponse>(line, ControlJson.Options) ?? throw new IOException("the daemon sent an empty answer");
    }

    /// <summary>The result as <typeparamref name="T"/>, or an <see cref="IOException"/> carrying the daemon's error.</summary>
    public static T Result<T>(IpcResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!response.Ok || response.Result is not { } result)
        {
            throw new IOException(response.Error ?? "the daemon answered without a result");
        }

        return result.Deserialize<T>(ControlJson.Options) ?? throw new IOException($"the daemon's answer is not a {typeof(T).Name}");
    }
}
