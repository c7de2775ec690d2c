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

    [SkippableTheory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public void Runs_of_equal_datagrams_arrive_as_separate_datagrams_with_or_without_gso_and_gro(bool gso, bool gro)
    {
        Skip.IfNot(OperatingSystem.IsLinux());
        using var a = LinuxUdpConn.Open(0, IPAddress.Loopback, gso: gso);
        using var b = LinuxUdpConn.Open(0, IPAddress.Loopback, gro: gro);
        Assert.Equal(gso, a.UsesGso);
        Assert.Equal(gro, b.UsesGro);

        // Two destinations interleaved in runs, equal sizes with a shorter tail per run: GSO packs runs,
        // GRO hands them over coalesced and the receiver splits them (with a 64-datagram caller batch).
        using var c = LinuxUdpConn.Open(0, IPAddress.Loopback, gro: gro);
        const int Count = 150;
        var buffers = new byte[Count][];
        var sizes = new int[Count];
        var to = new NetEndpoint[Count];
        for (var i = 0; i < Count; i++)
        {
            var toB = i / 25 % 2 == 0;
            sizes[i] = i % 25 == 24 ? 300 : 1400;
            buffers[i] = new byte[1400];
            buffers[i].AsSpan().Fill((byte)i);
            to[i] = NetEndpoint.FromIPv4([127, 0, 0, 1], toB ? b.LocalPort : c.LocalPort);
        }

        a.Send(buffers, sizes, 0, to, Count);

        foreach (var (receiver, port) in (ReadOnlySpan<(LinuxUdpConn, ushort)>)[(b, b.LocalPort), (c, c.LocalPort)])
        {
            var expected = Enumerable.Range(0, Count).Where(i => to[i].Port == port).ToList();
            var got = new List<int>();
            var inBuffers = Enumerable.Range(0, 64).Select(_ => new byte[2048]).ToArray();
            var inSizes = new int[64];
            var from = new NetEndpoint[64];
            while (got.Count < expected.Count)
            {
                var n = receiver.Receive(inBuffers, inSizes, from);
                for (var j = 0; j < n; j++)
                {
                    var index = inBuffers[j][0];
                    Assert.Equal(sizes[index], inSizes[j]);
                    Assert.True(inBuffers[j].AsSpan(0, inSizes[j]).IndexOfAnyExcept(index) < 0, $"datagram {index} corrupted");
                    Assert.Equal(a.LocalPort, from[j].Port);
                    got.Add(index);
                }
            }

            Assert.Equal(expected, got);
        }

        Assert.Equal(0, a.SendErrors);
    }

    [SkippableFact]
    public void A_coalesced_run_larger_than_the_callers_batch_is_delivered_over_several_calls()
    {
        Skip.IfNot(OperatingSystem.IsLinux());
        using var a = LinuxUdpConn.Open(0, IPAddress.Loopback);
        using var b = LinuxUdpConn.Open(0, IPAddress.Loopback);
        const int Count = 40;
        var buffers = Enumerable.Range(0, Count).Select(i => Enumerable.Repeat((byte)i, 1000).ToArray()).ToArray();
        var to = Enumerable.Repeat(NetEndpoint.FromIPv4([127, 0, 0, 1], b.LocalPort), Count).ToArray();
        a.Send(buffers, Enumerable.Repeat(1000, Count).ToArray(), 0, to, Count);

        var got = new List<int>();
        var inBuffers = Enumerable.Range(0, 3).Select(_ => new byte[1500]).ToArray();
        var inSizes = new int[3];
        var from = new NetEndpoint[3];
        while (got.Count < Count)
        {
            var n = b.Receive(inBuffers, inSizes, from);
            Assert.InRange(n, 1, 3);
            for (var j = 0; j < n; j++)
            {
                Assert.Equal(1000, inSizes[j]);
                Assert.True(inBuffers[j].AsSpan(0, 1000).IndexOfAnyExcept(inBuffers[j][0]) < 0);
                got.Add(inBuffers[j][0]);
            }
        }

        Assert.Equal(Enumerable.Range(0, Count), got);
    }

    [SkippableFact]
    public void Send_and_receive_allocate_nothing_once_warm()
    {
        Skip.IfNot(OperatingSystem.IsLinux());
        using var a = LinuxUdpConn.Open(0, IPAddress.Loopback);
        using var b = LinuxUdpConn.Open(0, IPAddress.Loopback);
        var to = Enumerable.Repeat(NetEndpoint.FromIPv4([127, 0, 0, 1], b.LocalPort), 32).ToArray();
        var outBuffers = Enumerable.Range(0, 32).Select(_ => new byte[1500]).ToArray();
        var outSizes = Enumerable.Repeat(1400, 32).ToArray();
        var inBuffers = Enumerable.Range(0, 64).Select(_ => new byte[2048]).ToArray();
        var inSizes = new int[64];
        var from = new NetEndpoint[64];

        void RoundTrip()
        {
            a.Send(outBuffers, outSizes, 0, to, 32);
            for (var got = 0; got < 32;)
            {
                got += b.Receive(inBuffers, inSizes, from);
            }
        }

        RoundTrip();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            RoundTrip();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
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
