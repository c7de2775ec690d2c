using System.Net;
using System.Net.Sockets;

namespace RelayBench;

/// <summary>Forwards TCP connections from a local port to a target (iperf3's control channel; only its UDP data is relayed).</summary>
internal sealed class TcpForwarder : IDisposable
{
    private readonly TcpListener _listener;

    public TcpForwarder(int port, IPEndPoint target)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                TcpClient inbound;
                try
                {
                    inbound = await _listener.AcceptTcpClientAsync();
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    return;
                }

                _ = Task.Run(async () =>
                {
                    using var c = inbound;
                    using var outbound = new TcpClient();
                    await outbound.ConnectAsync(target);
                    var a = c.GetStream().CopyToAsync(outbound.GetStream());
                    var b = outbound.GetStream().CopyToAsync(c.GetStream());
                    try
                    {
                        await Task.WhenAny(a, b);
                    }
                    catch (IOException)
                    {
                        // closed
                    }
                });
            }
        });
    }

    public void Dispose() => _listener.Stop();
}
