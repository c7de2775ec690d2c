using System.Net;
using HamachiCloud.Protocol.Crypto;
using HamachiCloud.Testing;
using HamachiCloud.Testing.Net;
using Xunit.Abstractions;

namespace HamachiCloud.Relay.Tests;

/// <summary>
/// The Debian <c>stun</c> client (RFC 3489 classic STUN: tests I, II, III, I' against CHANGED-ADDRESS) run from NAT
/// lab sites against our relay, which answers on its two lab addresses × two ports. It must see the right NAT.
/// </summary>
public sealed class RelayStunTests(ITestOutputHelper output)
{
    [SkippableFact]
    public async Task Debian_stun_client_classifies_open_eim_and_symmetric_sites_against_the_relay()
    {
        Requires.Root();
        Requires.Command("nft");
        var stun = Requires.Command("stun");
        using var lab = NatLab.Create(SiteKind.None, SiteKind.Eim, SiteKind.Symmetric);
        using var key = SigningKey.Generate();
        using var relay = await RelayProcess.StartAsync(
            new Dictionary<string, string>
            {
                ["Relay:Id"] = Guid.NewGuid().ToString(),
                ["Relay:ListenAddress"] = lab.Server.Primary.ToString(),
                ["Relay:AlternateAddress"] = lab.Server.Secondary.ToString(),
                ["Relay:Port"] = "3478",
                ["Relay:AlternatePort"] = "3479",
                ["Relay:ServerIdentityKey"] = key.PublicKey.ToBase64(),
            },
            "127.0.0.1",
            5190,
            lab.Server.Namespace.Name);

        var expectations = new Dictionary<SiteKind, string[]>
        {
            [SiteKind.None] = ["Primary: Open"],
            [SiteKind.Eim] = ["Primary: Independent Mapping", "Port Dependent Filter"],
            [SiteKind.Symmetric] = ["Primary: Dependent Mapping"],
        };
        var failures = new List<string>();
        try
        {
            foreach (var site in lab.Sites)
            {
                var (code, stdout, stderr) = Shell.TryRun(TimeSpan.FromSeconds(60), "ip", "netns", "exec", site.Host.Namespace.Name, stun, lab.Server.Primary.ToString(), "-v");
                var summary = string.Join(" | ", stdout.Split('\n').Where(l => l.StartsWith("Primary:", StringComparison.Ordinal) || l.StartsWith("Return value", StringComparison.Ordinal) || l.StartsWith("test ", StringComparison.Ordinal) || l.Contains("Address =", StringComparison.Ordinal)).Select(l => l.Trim()));
                output.WriteLine($"{NatLab.KindName(site.Kind),-10} (host {site.Host.Address}, public {site.PublicAddress}) stun exit {code}: {summary}");
                foreach (var expected in expectations[site.Kind])
                {
                    if (!stdout.Contains(expected, StringComparison.Ordinal))
                    {
                        failures.Add($"{NatLab.KindName(site.Kind)}: expected '{expected}' in\n{stdout}\n{stderr}");
                    }
                }
            }
        }
        finally
        {
            output.WriteLine(relay.Output);
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
