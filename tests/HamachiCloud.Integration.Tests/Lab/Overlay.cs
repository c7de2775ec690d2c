using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using HamachiCloud.Testing.Net;

namespace HamachiCloud.Integration.Tests.Lab;

/// <summary>Traffic through the tunnels: ping, a hashed TCP transfer, UDP datagram counting.</summary>
internal static class Overlay
{
    /// <summary>Pings until one reply (the first packets wait for the handshake), then 3 must all answer.</summary>
    public static void PingWorks(NetworkNamespace from, string to)
    {
        var deadline = Stopwatch.StartNew();
        while (Shell.TryRun(TimeSpan.FromSeconds(10), "ip", "netns", "exec", from.Name, "ping", "-c", "1", "-W", "1", to).ExitCode != 0)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), $"no ping reply from {to} in {from.Name} within 20 s");
        }

        var result = Shell.TryRun(TimeSpan.FromSeconds(20), "ip", "netns", "exec", from.Name, "ping", "-c", "3", "-i", "0.2", "-W", "2", to);
        Assert.True(result.ExitCode == 0, $"ping {to} from {from.Name}: {result.Stdout} {result.Stderr}");
    }

    /// <summary>True if <paramref name="to"/> answers a ping within the given attempts (expected false for rejected peers).</summary>
    public static bool PingAnswers(NetworkNamespace from, string to, int attempts) =>
        Shell.TryRun(TimeSpan.FromSeconds(attempts + 10), "ip", "netns", "exec", from.Name, "ping", "-c", attempts.ToString(), "-W", "1", to).ExitCode == 0;

    /// <summary>Sends <paramref name="bytes"/> random bytes over TCP and checks count and SHA-256 at the receiver.</summary>
    public static void TcpTransferArrivesIntact(NetworkNamespace from, NetworkNamespace to, IPAddress toAddress, int bytes)
    {
        Socket listener;
        using (to.Enter())
        {
            listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        }

        using var _ = listener;
        listener.Bind(new IPEndPoint(toAddress, 0));
        listener.Listen(1);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var receiver = Task.Run(() =>
        {
            using var connection = listener.Accept();
            connection.ReceiveTimeout = 30_000;
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[256 * 1024];
            long total = 0;
            int n;
            while ((n = connection.Receive(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, n);
                total += n;
            }

            return (total, Convert.ToHexString(hash.GetHashAndReset()));
        });

        Socket client;
        using (from.Enter())
        {
            client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        }

        string sentHash;
        using (client)
        {
            client.SendTimeout = 30_000;
            Assert.True(client.ConnectAsync(toAddress, port).Wait(TimeSpan.FromSeconds(20)), $"TCP connect to {toAddress}:{port} timed out");
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var chunk = new byte[1 << 20];
            for (var sent = 0; sent < bytes; sent += chunk.Length)
            {
                RandomNumberGenerator.Fill(chunk);
                var length = Math.Min(chunk.Length, bytes - sent);
                hash.AppendData(chunk, 0, length);
                client.Send(chunk, 0, length, SocketFlags.None);
            }

            sentHash = Convert.ToHexString(hash.GetHashAndReset());
            client.Shutdown(SocketShutdown.Send);
            Assert.True(receiver.Wait(TimeSpan.FromSeconds(120)), "TCP receiver did not finish within 120 s");
        }

        var (received, receivedHash) = receiver.Result;
        Assert.Equal(bytes, received);
        Assert.Equal(sentHash, receivedHash);
    }

    /// <summary>A UDP socket in <paramref name="ns"/> bound to <paramref name="bind"/>:<paramref name="port"/>, broadcast allowed.</summary>
    public static Socket UdpSocket(NetworkNamespace ns, IPAddress bind, int port)
    {
        using (ns.Enter())
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { EnableBroadcast = true, ReceiveTimeout = 500 };
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(bind, port));
            return socket;
        }
    }

    /// <summary>Every datagram's text received until <paramref name="quiet"/> passes without one.</summary>
    public static List<string> Drain(Socket socket, TimeSpan quiet)
    {
        socket.ReceiveTimeout = (int)quiet.TotalMilliseconds;
        var received = new List<string>();
        var buffer = new byte[2048];
        while (true)
        {
            try
            {
                var n = socket.Receive(buffer);
                received.Add(System.Text.Encoding.ASCII.GetString(buffer, 0, n));
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                return received;
            }
        }
    }
}
