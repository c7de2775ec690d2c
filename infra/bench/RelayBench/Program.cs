using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using HamachiCloud.Protocol.Crypto;
using RelayBench;

// relay-bench: starts the relay (given its dll) on loopback with a fresh issuer key, then measures in one run
//   throughput: iperf3 UDP, direct to an iperf3 server vs through the relay (a relaying client pair in front of it)
//   RTT: a UDP echo, direct vs through the relay
// and prints both with the ratio. Usage: relay-bench RELAY_DLL [SECONDS] [RATE e.g. 300M]
var relayDll = args.Length > 0 ? args[0] : throw new ArgumentException("usage: relay-bench RELAY_DLL [SECONDS] [RATE]");
var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
var rate = args.Length > 2 ? args[2] : "300M";

using var issuer = SigningKey.Generate();
var relayId = Guid.NewGuid();
var relayPort = FreeUdpPort();
var httpPort = FreeTcpPort();
using var relay = Start("dotnet", [relayDll, "--urls", $"http://127.0.0.1:{httpPort}"], new()
{
    ["Relay__Id"] = relayId.ToString(),
    ["Relay__ListenAddress"] = "127.0.0.1",
    ["Relay__Port"] = relayPort.ToString(CultureInfo.InvariantCulture),
    ["Relay__AlternatePort"] = "0",
    ["Relay__ServerIdentityKey"] = issuer.PublicKey.ToBase64(),
    ["Logging__LogLevel__Default"] = "Warning",
});
using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
WaitHealthy(http);
var relayEndpoint = new IPEndPoint(IPAddress.Loopback, relayPort);
var expires = TimeProvider.System.GetUtcNow().AddHours(1);

// Throughput.
var iperfPort = FreeTcpPort();
using var iperfServer = Start("iperf3", ["-s", "-B", "127.0.0.1", "-p", iperfPort.ToString(CultureInfo.InvariantCulture), "--logfile", "/dev/null"], []);
Thread.Sleep(500);
var shimPort = FreeTcpPort();
using var forwarder = new TcpForwarder(shimPort, new IPEndPoint(IPAddress.Loopback, iperfPort));
using var iperfShim = new RelayShim(relayEndpoint, new IPEndPoint(IPAddress.Loopback, iperfPort), relayId, issuer, expires, shimPort);
var direct = Iperf(iperfPort, seconds, rate);
var relayed = Iperf(shimPort, seconds, rate);

// RTT.
using var echo = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
echo.Bind(new IPEndPoint(IPAddress.Loopback, 0));
new Thread(() =>
{
    var buffer = new byte[2048];
    EndPoint from = new IPEndPoint(IPAddress.Any, 0);
    try
    {
        while (true)
        {
            var n = echo.ReceiveFrom(buffer, ref from);
            echo.SendTo(buffer.AsSpan(0, n), SocketFlags.None, from);
        }
    }
    catch (Exception e) when (e is SocketException or ObjectDisposedException)
    {
        // done
    }
}) { IsBackground = true }.Start();
using var echoShim = new RelayShim(relayEndpoint, (IPEndPoint)echo.LocalEndPoint!, relayId, issuer, expires);
var rttDirect = Rtt((IPEndPoint)echo.LocalEndPoint!, 1000);
var rttRelayed = Rtt(echoShim.Listen, 1000);

var counters = http.GetStringAsync(new Uri("/counters", UriKind.Relative)).Result;
Console.WriteLine($"relay bench ({seconds} s iperf3 UDP at {rate}, 1200-byte datagrams; 1000 UDP echo round trips; all on loopback, {Environment.ProcessorCount} CPUs)");
Console.WriteLine($"  throughput  direct  {direct.Bps / 1e6,8:0.0} Mbit/s received (loss {direct.Loss:0.0} %)");
Console.WriteLine($"  throughput  relayed {relayed.Bps / 1e6,8:0.0} Mbit/s received (loss {relayed.Loss:0.0} %)");
Console.WriteLine($"  throughput  ratio relayed/direct {relayed.Bps / direct.Bps:0.00}");
Console.WriteLine($"  RTT median  direct  {rttDirect.Median:0.000} ms (p90 {rttDirect.P90:0.000} ms)");
Console.WriteLine($"  RTT median  relayed {rttRelayed.Median:0.000} ms (p90 {rttRelayed.P90:0.000} ms)");
Console.WriteLine($"  RTT added by the relay {rttRelayed.Median - rttDirect.Median:0.000} ms, ratio relayed/direct {rttRelayed.Median / rttDirect.Median:0.00}");
Console.WriteLine($"  relay counters {counters}");
iperfServer.Kill();
relay.Kill();
return 0;

static (double Bps, double Loss) Iperf(int port, int seconds, string rate)
{
    using var p = Start("iperf3", ["-c", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-u", "-b", rate, "-l", "1200", "-t", seconds.ToString(CultureInfo.InvariantCulture), "-J"], [], capture: true);
    var json = p.StandardOutput.ReadToEnd();
    p.WaitForExit();
    var received = JsonDocument.Parse(json).RootElement.GetProperty("end").GetProperty("sum_received");
    return (received.GetProperty("bits_per_second").GetDouble(), received.TryGetProperty("lost_percent", out var l) ? l.GetDouble() : 0);
}

static (double Median, double P90) Rtt(IPEndPoint target, int count)
{
    using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 1000 };
    probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    var samples = new List<double>(count);
    var buffer = new byte[2048];
    var payload = new byte[64];
    for (var i = 0; i < count; i++)
    {
        BitConverter.TryWriteBytes(payload, i);
        var clock = Stopwatch.StartNew();
        probe.SendTo(payload, target);
        try
        {
            while (true)
            {
                var n = probe.Receive(buffer);
                if (n == payload.Length && BitConverter.ToInt32(buffer, 0) == i)
                {
                    break;
                }
            }

            samples.Add(clock.Elapsed.TotalMilliseconds);
        }
        catch (SocketException)
        {
            // lost: not counted
        }
    }

    samples.Sort();
    return samples.Count == 0 ? (double.NaN, double.NaN) : (samples[samples.Count / 2], samples[(int)(samples.Count * 0.9)]);
}

static Process Start(string file, string[] arguments, Dictionary<string, string> environment, bool capture = false)
{
    var start = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = capture };
    foreach (var a in arguments)
    {
        start.ArgumentList.Add(a);
    }

    foreach (var (k, v) in environment)
    {
        start.Environment[k] = v;
    }

    return Process.Start(start) ?? throw new InvalidOperationException($"cannot start {file}");
}

static void WaitHealthy(HttpClient http)
{
    for (var i = 0; i < 300; i++)
    {
        try
        {
            if (http.GetAsync(new Uri("/health", UriKind.Relative)).Result.IsSuccessStatusCode)
            {
                return;
            }
        }
        catch (AggregateException)
        {
            // not up yet
        }

        Thread.Sleep(200);
    }

    throw new TimeoutException("relay not healthy within 60 s");
}

static int FreeUdpPort()
{
    using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    return ((IPEndPoint)s.LocalEndPoint!).Port;
}

static int FreeTcpPort()
{
    using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    return ((IPEndPoint)s.LocalEndPoint!).Port;
}
