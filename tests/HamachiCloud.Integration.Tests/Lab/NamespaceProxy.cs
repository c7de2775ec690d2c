using System.Net;
using System.Net.Sockets;
using HamachiCloud.Testing.Net;

namespace HamachiCloud.Integration.Tests.Lab;

/// <summary>
/// A TCP forwarder whose listening socket lives in a lab namespace (bound on a dedicated thread
/// that entered it) and whose upstream connections go to a loopback address of the test process's
/// namespace: makes an in-process Api reachable at a "public" lab address.
/// </summary>
internal sealed class NamespaceProxy : IDisposable
{
    private readonly Socket _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();

    private NamespaceProxy(Socket listener, IPEndPoint target)
    {
        _listener = listener;
        _target = target;
        _ = AcceptAsync();
    }

    public static NamespaceProxy Start(NetworkNamespace ns, IPEndPoint listen, IPEndPoint target)
    {
        Socket? listener = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using (ns.Enter())
                {
                    listener = new Socket(listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                    listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true); // restartable while old connections linger
                    listener.Bind(listen);
                    listener.Listen(64);
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        return failure is null ? new NamespaceProxy(listener!, target) : throw new IOException($"proxy in {ns.Name} on {listen}: {failure.Message}", failure);
    }

    /// <summary>Stops listening and cuts every forwarded connection (the server becomes unreachable). Idempotent.</summary>
    public void Dispose()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        _listener.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = PipeAsync(client);
        }
    }

    private async Task PipeAsync(Socket client)
    {
        using (client)
        using (var upstream = new Socket(_target.AddressFamily, SocketType.Stream, ProtocolType.Tcp))
        {
            try
            {
                await upstream.ConnectAsync(_target, _stop.Token);
                await using var a = new NetworkStream(client, ownsSocket: false);
                await using var b = new NetworkStream(upstream, ownsSocket: false);
                var up = a.CopyToAsync(b, _stop.Token);
                var down = b.CopyToAsync(a, _stop.Token);
                await Task.WhenAny(up, down);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // A connection ended; the other one goes with it.
            }
        }
    }
}
