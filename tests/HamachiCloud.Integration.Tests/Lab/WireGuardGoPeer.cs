using System.Diagnostics;
using HamachiCloud.Testing.Net;

namespace HamachiCloud.Integration.Tests.Lab;

/// <summary>
/// Stock wireguard-go (Debian) as a peer in a lab namespace: <c>wireguard-go -f wg0</c>, configured with
/// <c>wg set</c> and iproute2. Dispose stops it (the interface goes with it).
/// </summary>
internal sealed class WireGuardGoPeer : IDisposable
{
    public const string Interface = "wg0";
    private readonly Process _process;
    private readonly NetworkNamespace _ns;

    private WireGuardGoPeer(Process process, NetworkNamespace ns)
    {
        _process = process;
        _ns = ns;
    }

    /// <param name="peers">Each: public key (base64), endpoint "ip:port" or null, allowed IPs "a/n,b/m".</param>
    public static WireGuardGoPeer Start(NetworkNamespace ns, string privateKey, string address, ushort listenPort, params (string PublicKey, string? Endpoint, string AllowedIps)[] peers)
    {
        var start = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])["netns", "exec", ns.Name, "wireguard-go", "-f", Interface])
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var peer = new WireGuardGoPeer(process, ns);
        try
        {
            var deadline = Stopwatch.StartNew();
            while (Shell.TryRun(TimeSpan.FromSeconds(10), "ip", "-n", ns.Name, "link", "show", Interface).ExitCode != 0)
            {
                if (process.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(10))
                {
                    throw new InvalidOperationException($"wireguard-go in {ns.Name} did not create {Interface}");
                }

                Thread.Sleep(50);
            }

            var keyFile = Path.Combine(Path.GetTempPath(), $"{ns.Name}-wg.key");
            File.WriteAllText(keyFile, privateKey + "\n");
            var set = new List<string> { "wg", "set", Interface, "private-key", keyFile, "listen-port", listenPort.ToString() };
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
            Shell.Run("ip", "-n", ns.Name, "address", "add", address, "brd", "+", "dev", Interface);
            Shell.Run("ip", "-n", ns.Name, "link", "set", Interface, "up");
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
