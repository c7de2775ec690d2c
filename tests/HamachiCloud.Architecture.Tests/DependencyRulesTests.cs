namespace HamachiCloud.Architecture.Tests;

/// <summary>
/// The rule function on made-up assemblies: shows the architecture test fails for a forbidden
/// reference without breaking the build of a real project.
/// </summary>
public class DependencyRulesTests
{
    private static readonly string[] NoTypes = [];

    [Fact]
    public void Protocol_with_EF_Core_and_a_socket_is_reported()
    {
        var violations = DependencyRules.Violations(
            "HamachiCloud.Protocol",
            ["System.Runtime", "Microsoft.EntityFrameworkCore", "NSec.Cryptography"],
            ["System.Span`1", "System.Net.Sockets.Socket"]);

        Assert.Equal(2, violations.Count);
        Assert.Contains(violations, v => v.Contains("references Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("uses System.Net.Sockets.Socket", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Microsoft.AspNetCore.SignalR.Client")]
    [InlineData("Microsoft.Extensions.DependencyInjection.Abstractions")]
    [InlineData("Microsoft.Extensions.Logging.Abstractions")]
    [InlineData("Microsoft.Extensions.Hosting")]
    [InlineData("Npgsql")]
    [InlineData("HamachiCloud.Data")]
    public void Protocol_referencing_infrastructure_is_reported(string reference)
    {
        var violations = DependencyRules.Violations("HamachiCloud.Protocol", ["System.Runtime", reference], NoTypes);

        Assert.Single(violations);
    }

    [Theory]
    [InlineData("System.Net.Sockets.UdpClient")]
    [InlineData("System.Net.Sockets.TcpClient")]
    [InlineData("System.IO.File")]
    [InlineData("System.IO.FileStream")]
    public void Protocol_using_io_types_is_reported(string type)
    {
        Assert.Single(DependencyRules.Violations("HamachiCloud.Protocol", ["System.Runtime"], [type]));
    }

    [Fact]
    public void Protocol_may_use_pure_network_types()
    {
        var violations = DependencyRules.Violations(
            "HamachiCloud.Protocol",
            ["System.Runtime", "System.Net.Primitives", "NSec.Cryptography", "BouncyCastle.Cryptography"],
            ["System.Net.IPAddress", "System.Net.Sockets.AddressFamily", "System.Buffers.Binary.BinaryPrimitives"]);

        Assert.Empty(violations);
    }

    [Theory]
    [InlineData("HamachiCloud.Api.Contracts", "HamachiCloud.Data")]
    [InlineData("HamachiCloud.Api.Contracts", "HamachiCloud.Migrations")]
    [InlineData("HamachiCloud.Api.Contracts", "HamachiCloud.Api")]
    [InlineData("HamachiCloud.Api.Contracts", "Microsoft.EntityFrameworkCore")]
    [InlineData("HamachiCloud.Data", "HamachiCloud.Api")]
    [InlineData("HamachiCloud.Data", "HamachiCloud.Api.Contracts")]
    [InlineData("HamachiCloud.Api", "HamachiCloud.Agent.Engine")]
    [InlineData("HamachiCloud.Api", "hamachi")]
    [InlineData("HamachiCloud.Portal", "HamachiCloud.Data")]
    [InlineData("HamachiCloud.Portal", "HamachiCloud.Migrations")]
    [InlineData("HamachiCloud.Portal", "HamachiCloud.Api")]
    [InlineData("HamachiCloud.Portal", "Microsoft.EntityFrameworkCore.Relational")]
    public void Forbidden_reference_is_reported(string assembly, string reference)
    {
        var violations = DependencyRules.Violations(assembly, ["System.Runtime", reference], NoTypes);

        var violation = Assert.Single(violations);
        Assert.StartsWith($"{assembly} references {reference}:", violation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HamachiCloud.Api", "HamachiCloud.Api.Contracts")]
    [InlineData("HamachiCloud.Api", "HamachiCloud.Migrations")]
    [InlineData("HamachiCloud.Api", "Microsoft.EntityFrameworkCore")]
    [InlineData("HamachiCloud.Portal", "HamachiCloud.Api.Contracts")]
    [InlineData("HamachiCloud.Migrations", "HamachiCloud.Data")]
    [InlineData("HamachiCloud.Data", "Microsoft.EntityFrameworkCore")]
    [InlineData("HamachiCloud.Api.Contracts", "HamachiCloud.Protocol")]
    [InlineData("HamachiCloud.Relay", "HamachiCloud.Protocol")]
    public void Allowed_reference_is_not_reported(string assembly, string reference)
    {
        Assert.Empty(DependencyRules.Violations(assembly, ["System.Runtime", reference], NoTypes));
    }

    [Fact]
    public void Assembly_without_a_rule_is_reported()
    {
        var violation = Assert.Single(DependencyRules.Violations("HamachiCloud.Gateway", ["System.Runtime"], NoTypes));
        Assert.Contains("no dependency rule", violation, StringComparison.Ordinal);
    }
}
