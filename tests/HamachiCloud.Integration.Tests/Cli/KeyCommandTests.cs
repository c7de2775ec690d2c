using HamachiCloud.Testing;
using HamachiCloud.Testing.Net;

namespace HamachiCloud.Integration.Tests.Cli;

public sealed class KeyCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public void Genkey_output_is_accepted_by_wg_pubkey_and_pubkey_matches_it()
    {
        var wg = Requires.Command("wg");
        var genkey = HamachiCli.Run(null, Timeout, "genkey");
        Assert.Equal(0, genkey.ExitCode);
        var privateKey = genkey.Stdout.Trim();
        Assert.Equal(44, privateKey.Length);

        var ours = HamachiCli.Run(genkey.Stdout, Timeout, "pubkey");
        Assert.Equal(0, ours.ExitCode);
        var theirs = Shell.Run(["sh", "-c", $"printf '%s\\n' '{privateKey}' | {wg} pubkey"]);
        Assert.Equal(theirs.Trim(), ours.Stdout.Trim());
    }

    [SkippableFact]
    public void Pubkey_of_wg_genkey_output_matches_wg_pubkey()
    {
        var wg = Requires.Command("wg");
        for (var i = 0; i < 3; i++)
        {
            var privateKey = Shell.Run(wg, "genkey").Trim();
            var theirs = Shell.Run(["sh", "-c", $"printf '%s\\n' '{privateKey}' | {wg} pubkey"]).Trim();
            var ours = HamachiCli.Run(privateKey + "\n", Timeout, "pubkey");
            Assert.Equal(0, ours.ExitCode);
            Assert.Equal(theirs, ours.Stdout.Trim());
        }
    }

    [Fact]
    public void Pubkey_rejects_garbage()
    {
        var result = HamachiCli.Run("not a key\n", Timeout, "pubkey");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not a private key", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Up_with_a_bad_file_exits_2_naming_file_line_and_key()
    {
        var path = Path.Combine(Path.GetTempPath(), $"hamachi-bad-{Environment.ProcessId}.conf");
        File.WriteAllText(path, "[Interface]\nPrivateKey = nope\n");
        try
        {
            var result = HamachiCli.Run(null, Timeout, "up", "--config", path);
            Assert.Equal(2, result.ExitCode);
            Assert.Contains($"{path}:2: key 'PrivateKey': not a WireGuard key", result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("up")]
    [InlineData("up --interface x")]
    [InlineData("up --config")]
    [InlineData("up --config a.conf --interface waytoolonginterfacename")]
    [InlineData("frobnicate")]
    public void Usage_errors_exit_2(string args)
    {
        var result = HamachiCli.Run(null, Timeout, args.Split(' '));
        Assert.Equal(2, result.ExitCode);
        Assert.NotEmpty(result.Stderr);
    }
}
