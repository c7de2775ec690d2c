using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using HamachiCloud.Agent.Engine.Control;

namespace HamachiCloud.Agent.Ipc;

/// <summary>
/// The daemon's Unix socket: one JSON <see cref="IpcRequest"/> line in, one <see cref="IpcResponse"/>
/// line out, per connection. The socket file is mode 0660: only root (the owner) and, with
/// <c>--group</c>, that group can connect.
/// </summary>
public sealed class IpcServer : IAsyncDisposable
{
    private const int MaxRequestBytes = 16 * 1024;

    private readonly Socket _listener;
    private readonly IDaemonBackend _backend;
    private readonly string _path;

    private IpcServer(Socket listener, string path, IDaemonBackend backend)
    {
        _listener = listener;
        _path = path;
        _backend = backend;
    }

    /// <summary>Binds <paramref name="path"/> (a stale socket file is replaced), mode 0660, group <paramref name="group"/> if given.</summary>
    public static IpcServer Listen(string path, IDaemonBackend backend, string? group = null)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
            }

            if (group is not null)
            {
                SetGroup(path, group);
            }

            listener.Listen(16);
            return new IpcServer(listener, path, backend);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(ct);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ServeAsync(client, ct);
        }
    }

    public ValueTask DisposeAsync()
    {
        _listener.Dispose();
        if (File.Exists(_path))
        {
            File.Delete(_path);
        }

        return ValueTask.CompletedTask;
    }

    private async Task ServeAsync(Socket client, CancellationToken ct)
    {
        using (client)
        await using (var stream = new NetworkStream(client, ownsSocket: false))
        {
            IpcResponse response;
            try
            {
                var line = await ReadLineAsync(stream, ct);
                var request = line is null ? null : JsonSerializer.Deserialize<IpcRequest>(line, ControlJson.Options);
                response = request?.Command is null ? Fail("empty or malformed request") : await DispatchAsync(request, ct);
            }
            catch (JsonException e)
            {
                response = Fail($"malformed request: {e.Message}");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                response = Fail(e.Message);
            }

            var bytes = JsonSerializer.SerializeToUtf8Bytes(response, ControlJson.Options);
            await stream.WriteAsync(bytes, ct);
            await stream.WriteAsync("\n"u8.ToArray(), ct);
        }
    }

    /// <summary>Runs one request against the backend.</summary>
    public async Task<IpcResponse> DispatchAsync(IpcRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var args = request.Args ?? [];
        string Arg(int i, string what) => i < args.Count ? args[i] : throw new ArgumentException($"{request.Command}: missing {what}");
        string? Optional(int i) => i < args.Count ? args[i] : null;
        return request.Command switch
        {
            IpcCommands.Status => Ok(_backend.Status()),
            IpcCommands.List => Ok(_backend.List()),
            IpcCommands.Netcheck => Ok(await _backend.NetcheckAsync(ct)),
            IpcCommands.Create => Ok(await _backend.CreateNetworkAsync(Arg(0, "network name"), NetworkTypes.Parse(Optional(1)), Optional(2), ct)),
            IpcCommands.Join => Ok(await _backend.JoinNetworkAsync(Arg(0, "network id"), Optional(1), ct)),
            IpcCommands.Leave => Ok(await _backend.LeaveNetworkAsync(Arg(0, "network id"), ct)),
            IpcCommands.GoOnline => Ok(await _backend.SetOnlineAsync(Arg(0, "network id"), true, ct)),
            IpcCommands.GoOffline => Ok(await _backend.SetOnlineAsync(Arg(0, "network id"), false, ct)),
            IpcCommands.SetNick => Ok(await _backend.SetNicknameAsync(Arg(0, "nickname"), ct)),
            IpcCommands.AdvertiseRoutes => Ok(await _backend.AdvertiseRoutesAsync(Arg(0, "network id"), [.. args.Skip(1)], ct)),
            IpcCommands.SetAcceptRoutes => Ok(await _backend.SetAcceptRoutesAsync(Arg(0, "true or false") switch
            {
                "true" => true,
                "false" => false,
                var other => throw new ArgumentException($"{request.Command}: '{other}' is not true or false"),
            }, ct)),
            _ => Fail($"unknown command '{request.Command}'"),
        };
    }

    private static IpcResponse Ok<T>(T result) => new(true, null, JsonSerializer.SerializeToElement(result, ControlJson.Options));

    private static IpcResponse Fail(string error) => new(false, error, null);

    private static async Task<string?> ReadLineAsync(Stream stream, CancellationToken ct)
    {
        var buffer = new byte[MaxRequestBytes];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), ct);
            if (read == 0)
            {
                break;
            }

            var newline = Array.IndexOf(buffer, (byte)'\n', length, read);
            length += read;
            if (newline >= 0)
            {
                return Encoding.UTF8.GetString(buffer, 0, newline);
            }
        }

        return length == buffer.Length ? throw new InvalidDataException($"request longer than {MaxRequestBytes} bytes") : Encoding.UTF8.GetString(buffer, 0, length);
    }

    private static void SetGroup(string path, string group)
    {
        using var chgrp = Process.Start(new ProcessStartInfo("chgrp", [group, path]) { RedirectStandardError = true, UseShellExecute = false })
            ?? throw new IOException("chgrp: could not start");
        var error = chgrp.StandardError.ReadToEnd();
        chgrp.WaitForExit();
        if (chgrp.ExitCode != 0)
        {
            throw new IOException($"--group {group}: chgrp {path} failed: {error.Trim()}");
        }
    }
}
