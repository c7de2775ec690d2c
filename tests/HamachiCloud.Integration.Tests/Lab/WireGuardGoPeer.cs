using System.Diagnostics;
using HamachiCloud.Testing.Net;

namespace HamachiCloud.Integration.Tests.Lab;

/// <summary>
/// Stock wireguard-go (Debian) as a peer in a lab namespace: <c>wireguard-go -f wg0</c>, configured with
/// <c>wg set</c> and iproute2. Dispose stops it (the interface goes with it). The interface name is
/// unique per run: wireguard-go's control socket /var/run/wireguard/NAME.sock is not namespaced, so two
/// "wg0" in two namespaces would steal each other's socket and <c>wg set</c> would configure the wrong one.
/// </summary>
internal sealed class WireGuardGoPeer : IDisposable
{
    private static int _counter;
    private readonly Process _process;
    private readonly NetworkNamespace _ns;

    private WireGuardGoPeer(Process process, NetworkNamespace ns, string name)
    {
        _process = process;
        _ns = ns;
        Interface = name;
    }

    public string Interface { get; }

    /// <param name="peers">Each: public key (base64), endpoint "ip:port" or null, allowed IPs "a/n,b/m".</param>
    public static WireGuardGoPeer Start(NetworkNamespace ns, string privateKey, string address, ushort listenPort, params (string PublicKey, string? Endpoint, string AllowedIps)[] peers)
    {
        var name = $"wgt{Environment.ProcessId % 100000}x{Interlocked.Increment(ref _counter)}";
        var start = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["netns", "exec", ns.Name, "wireguard-go", "-f", name])
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var peer = new WireGuardGoPeer(process, ns, name);
        try
        {
            var deadline = Stopwatch.StartNew();
            // The link appears before wireguard-go opens its UAPI socket; `wg set` without the socket falls back
            // to kernel netlink and fails with "Protocol not supported". Wait for both.
            var socket = Path.Combine("/var/run/wireguard", name + ".sock");
            while (Shell.TryRun(TimeSpan.FromSeconds(10), "ip", "-n", ns.Name, "link", "show", name).ExitCode != 0 || !File.Exists(socket))
            {
                if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(10))
                {
                    throw new InvalidOperationException($"wireguard-go in {ns.Name} did not create {name} and its socket {socket}");
                }

                Thread.Sleep(50);
            }

            var keyFile = Path.Combine(Path.GetTempPath(), $"{ns.Name}-wg.key");
            File.WriteAllText(keyFile, privateKey + "\n");
            var set = new List<string> { "wg", "set", name, "private-key", keyFile, "listen-port", listenPort.ToString() };
            foreach (var (publicKey, endpoint, allowed) in peers)
            {
                set.AddRange(["peer", publicKey, "allowed-ips", allowed]);
                if (endpoint is not null)
                {
                    set.AddRange(["endpoint", endpoint]);
                }
            }

            ns.Run([.. set]);
            File.Delete(keyFile);
            Shell.Run("ip", "-n", ns.Name, "address", "add", address, "brd", "+", "dev", name);
            Shell.Run("ip", "-n", ns.Name, "link", "set", name, "up");
            return peer;
        }
        catch
        {
            peer.Dispose();
            throw;
        }
    }

    /// <summary>Unix time of the peer's last handshake, 0 if none (<c>wg show latest-handshakes</c>).</summary>
    public long LatestHandshake(string publicKey)
    {
        foreach (var line in _ns.Run("wg", "show", Interface, "latest-handshakes").Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('\t');
            if (parts[0] == publicKey)
            {
                return long.Parse(parts[1]);
            }
        }

        return 0;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
        _process.Dispose();
    }
}
