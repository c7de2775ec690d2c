using System.Text.RegularExpressions;

namespace HamachiCloud.Architecture.Tests;

/// <summary>
/// The shipped deployment files are safe by default: the Api's plain HTTP is published on loopback
/// only, and anything wider is an explicit opt-in (issue 12, item 10).
/// </summary>
public sealed partial class DeploymentDefaultsTests
{
    private static readonly string Compose = File.ReadAllText(Path.Combine(ProductionAssemblies.RepositoryRoot(), "docker-compose.yml"));

    [Fact]
    public void Compose_publishes_the_api_on_loopback_unless_told_otherwise()
    {
        var ports = PublishedPort().Matches(Compose).Select(m => m.Groups[1].Value).ToList();
        var api = Assert.Single(ports, p => p.EndsWith(":8080", StringComparison.Ordinal));
        Assert.StartsWith("${HAMACHI_API_BIND:-127.0.0.1}:", api, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_plain_http_is_a_setting_the_operator_can_turn_off()
    {
        Assert.Matches(AllowHttp(), Compose);
        Assert.DoesNotContain("Identity__AllowHttp: \"true\"", Compose, StringComparison.Ordinal);
    }

    [GeneratedRegex("""^\s*-\s*"([^"]+)"\s*$""", RegexOptions.Multiline)]
    private static partial Regex PublishedPort();

    [GeneratedRegex(@"Identity__AllowHttp:\s*""\$\{HAMACHI_ALLOW_HTTP:-(true|false)\}""")]
    private static partial Regex AllowHttp();
}
