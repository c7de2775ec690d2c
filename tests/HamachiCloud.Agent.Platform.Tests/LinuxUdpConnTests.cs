using System.Net;
using System.Text;
using HamachiCloud.Agent.Engine.IO;
using HamachiCloud.Agent.Platform.Linux;

namespace HamachiCloud.Agent.Platform.Tests;

public sealed class LinuxUdpConnTests
{
    [SkippableFact]
    public void Pair_on_loopback_exchanges_a_batch_with_correct_endpoints_both_ways()
    {
        Skip.IfNot(OperatingSystem.IsLinux());
        using var a = LinuxUdpConn.Open(0, IPAddress.Loopback);
        using var b = LinuxUdpConn.Open(0);
        var aEndpoint = NetEndpoint.FromIPv4([127, 0, 0, 1], a.LocalPort);
        var bEndpoint = NetEndpoint.FromIPv4([127, 0, 0, 1], b.LocalPort);

        Exchange(a, b, bEndpoint, aEndpoint, count: 100);
        Exchange(b, a, aEndpoint, bEndpoint, count: 64);
    }

    [SkippableFact]
    public void Dispose_unblocks_a_blocked_receiver()
    {
        Skip.IfNot(OperatingSystem.IsLinux());
        var conn = LinuxUdpConn.Open(0, IPAddress.Loopback);
        var result = -1;
        var receiver = new Thread(() => result = conn.Receive([new byte[2048]], new int[1], new NetEndpoint[1]));
        receiver.Start();
        Thread.Sleep(200);
        conn.Dispose();
        Assert.True(receiver.Join(TimeSpan.FromSeconds(5)), "receiver still blocked after Dispose");
        Assert.Equal(0, result);
        Assert.Equal(0, conn.Receive([new byte[16]], new int[1], new NetEndpoint[1]));
    }

    [SkippableFact]
    public void Socket_buffers_are_big()
    {
        Skip.IfNot(OperatingSystem.IsLinux());
        using var conn = LinuxUdpConn.Open(0, IPAddress.Loopback);

        // As root SO_RCVBUFFORCE gets the full 7 MiB (the kernel reports double); otherwise rmem_max caps it.
        Assert.True(conn.ReceiveBufferSize >= (Environment.UserName == "root" ? LinuxUdpConn.DefaultSocketBuffer : 1), $"SO_RCVBUF {conn.ReceiveBufferSize}");
    }

    private static void Exchange(LinuxUdpConn sender, LinuxUdpConn receiver, NetEndpoint to, NetEndpoint expectedFrom, int count)
    {
        var buffers = new byte[count][];
        var sizes = new int[count];
        var destinations = new NetEndpoint[count];
        for (var i = 0; i < count; i++)
        {
            // Offset 16 as the engine leaves room for the WireGuard header.
            var payload = Encoding.ASCII.GetBytes($"datagram {i} {new string('x', i * 10)}");
            buffers[i] = new byte[16 + payload.Length + 8];
            payload.CopyTo(buffers[i], 16);
            sizes[i] = payload.Length;
            destinations[i] = to;
        }

        sender.Send(buffers, sizes, 16, destinations, count);

        var received = new List<string>();
        var inBuffers = Enumerable.Range(0, 64).Select(_ => new byte[2048]).ToArray();
        var inSizes = new int[64];
        var from = new NetEndpoint[64];
        var batches = 0;
        while (received.Count < count)
        {
            var n = receiver.Receive(inBuffers, inSizes, from);
            Assert.InRange(n, 1, 64);
            batches++;
            for (var i = 0; i < n; i++)
            {
                Assert.Equal(expectedFrom, from[i]);
                received.Add(Encoding.ASCII.GetString(inBuffers[i], 0, inSizes[i]));
            }
        }

        Assert.Equal(Enumerable.Range(0, count).Select(i => $"datagram {i} {new string('x', i * 10)}"), received);
        Assert.True(batches < count, $"{batches} receive calls for {count} datagrams: not batched");
    }
}
