using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using HamachiCloud.Agent.Engine.IO;

namespace HamachiCloud.Agent.Platform.Linux;

/// <summary>
/// Gateway routes on Linux. Members: <c>ip route add PREFIX dev IFACE</c> (add, not replace: an
/// existing route to the same prefix is never overwritten; the error is reported). Gateways: IPv4 (and,
/// for IPv6 prefixes, IPv6) forwarding switched on, and the nftables table <c>inet hamachi_gw</c>
/// replaced atomically: overlay traffic from the interface is forwarded only to the served prefixes and
/// masqueraded behind this machine's LAN address. Dispose removes the table and the routes and
/// restores the forwarding switches it changed. Configuration only, never on a hot path.
/// </summary>
public sealed class LinuxHostRouting : IHostRouting
{
    public const string Table = "hamachi_gw";

    private const string IPv4Forwarding = "/proc/sys/net/ipv4/ip_forward";
    private const string IPv6Forwarding = "/proc/sys/net/ipv6/conf/all/forwarding";

    private readonly string _interface;
    private readonly IPNetwork _overlayV4;
    private readonly IPNetwork _overlayV6;
    private readonly HashSet<IPNetwork> _routes = [];
    private readonly Dictionary<string, string> _forwardingBefore = [];
    private bool _serving;

    /// <param name="interfaceName">The overlay (TUN) interface.</param>
    /// <param name="overlayV4">The overlay's IPv4 prefix (sources that are masqueraded).</param>
    /// <param name="overlayV6">The overlay's IPv6 prefix.</param>
    public LinuxHostRouting(string interfaceName, IPNetwork overlayV4, IPNetwork overlayV6)
    {
        _interface = interfaceName;
        _overlayV4 = overlayV4;
        _overlayV6 = overlayV6;
    }

    public IReadOnlyList<LocalPrefix> LocalPrefixes()
    {
        var prefixes = new List<LocalPrefix>();
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.NetworkInterfaceType == NetworkInterfaceType.Loopback || nic.Name == _interface)
            {
                continue;
            }

            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                var address = unicast.Address;
                if (IPAddress.IsLoopback(address) || address.IsIPv6LinkLocal
                    || address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
                {
                    continue;
                }

                prefixes.Add(new LocalPrefix(nic.Name, new InterfaceAddress(address, unicast.PrefixLength).Network));
            }
        }

        return prefixes;
    }

    public void AddRoute(IPNetwork prefix)
    {
        IpCommand.Run(null, Family(prefix), "route", "add", prefix.ToString(), "dev", _interface);
        _routes.Add(prefix);
    }

    public void RemoveRoute(IPNetwork prefix)
    {
        if (!_routes.Remove(prefix))
        {
            return;
        }

        try
        {
            IpCommand.Run(null, Family(prefix), "route", "del", prefix.ToString(), "dev", _interface);
        }
        catch (IOException)
        {
            // Gone already (the interface went down, or someone removed it).
        }
    }

    public void Serve(IReadOnlyList<IPNetwork> prefixes)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        if (prefixes.Count == 0)
        {
            StopServing();
            return;
        }

        EnableForwarding(IPv4Forwarding);
        if (prefixes.Any(p => p.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6))
        {
            EnableForwarding(IPv6Forwarding);
        }

        Nft(Ruleset(_interface, _overlayV4, _overlayV6, prefixes));
        _serving = true;
    }

    public void Dispose()
    {
        foreach (var prefix in _routes.ToList())
        {
            RemoveRoute(prefix);
        }

        StopServing();
    }

    /// <summary>The nftables script that (re)creates the table in one transaction. Public for tests.</summary>
    public static string Ruleset(string interfaceName, IPNetwork overlayV4, IPNetwork overlayV6, IReadOnlyList<IPNetwork> prefixes)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        var v4 = prefixes.Where(p => p.BaseAddress.AddressFamily == AddressFamily.InterNetwork).Select(p => p.ToString()).ToList();
        var v6 = prefixes.Where(p => p.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6).Select(p => p.ToString()).ToList();
        var name = $"\"{interfaceName}\"";
        var s = new StringBuilder();
        s.Append("table inet ").Append(Table).Append(" {}\n");
        s.Append("delete table inet ").Append(Table).Append('\n');
        s.Append("table inet ").Append(Table).Append(" {\n");
        if (v4.Count > 0)
        {
            s.Append("  set lan4 { type ipv4_addr; flags interval; elements = { ").Append(string.Join(", ", v4)).Append(" } }\n");
        }

        if (v6.Count > 0)
        {
            s.Append("  set lan6 { type ipv6_addr; flags interval; elements = { ").Append(string.Join(", ", v6)).Append(" } }\n");
        }

        s.Append("  chain forward {\n    type filter hook forward priority filter; policy accept;\n");
        if (v4.Count > 0)
        {
            s.Append("    iifname ").Append(name).Append(" ip daddr @lan4 counter accept\n");
        }

        if (v6.Count > 0)
        {
            s.Append("    iifname ").Append(name).Append(" ip6 daddr @lan6 counter accept\n");
        }

        s.Append("    iifname ").Append(name).Append(" counter drop\n  }\n");
        s.Append("  chain postrouting {\n    type nat hook postrouting priority srcnat; policy accept;\n");
        if (v4.Count > 0)
        {
            s.Append("    oifname != ").Append(name).Append(" ip saddr ").Append(overlayV4).Append(" ip daddr @lan4 counter masquerade\n");
        }

        if (v6.Count > 0)
        {
            s.Append("    oifname != ").Append(name).Append(" ip6 saddr ").Append(overlayV6).Append(" ip6 daddr @lan6 counter masquerade\n");
        }

        s.Append("  }\n}\n");
        return s.ToString();
    }

    private void StopServing()
    {
        if (_serving)
        {
            Nft($"table inet {Table} {{}}\ndelete table inet {Table}\n");
            _serving = false;
        }

        foreach (var (path, before) in _forwardingBefore)
        {
            File.WriteAllText(path, before);
        }

        _forwardingBefore.Clear();
    }

    private void EnableForwarding(string path)
    {
        var before = File.ReadAllText(path).Trim();
        if (before != "1" && !_forwardingBefore.ContainsKey(path))
        {
            File.WriteAllText(path, "1");
            _forwardingBefore[path] = before;
        }
    }

    private static string Family(IPNetwork prefix) => prefix.BaseAddress.AddressFamily == AddressFamily.InterNetworkV6 ? "-6" : "-4";

    private static void Nft(string script)
    {
        var nft = new[] { "/usr/sbin/nft", "/sbin/nft", "/usr/bin/nft" }.FirstOrDefault(File.Exists)
            ?? throw new IOException("gateway: nftables 'nft' not found in /usr/sbin, /sbin or /usr/bin (apt-get install nftables)");
        var start = new ProcessStartInfo(nft, ["-f", "-"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new IOException("nft: could not start");
        process.StandardInput.Write(script);
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(IpCommand.Timeout))
        {
            process.Kill();
            throw new IOException($"nft -f -: no exit after {IpCommand.Timeout.TotalSeconds} s");
        }

        if (process.ExitCode != 0)
        {
            throw new IOException($"nft -f - (table inet {Table}): exit code {process.ExitCode}: {stderr.Result.Trim()}");
        }
    }
}
