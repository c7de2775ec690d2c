using System.Reflection;
using System.Runtime.InteropServices;
using HamachiCloud.Agent.Engine.Device;

namespace HamachiCloud.Agent.Engine.Tests;

/// <summary>The engine stays cross-platform and small: Protocol and the base library only, no native calls.</summary>
public sealed class EngineDependencyTests
{
    private static readonly Assembly Engine = typeof(WireGuardDevice).Assembly;

    [Fact]
    public void References_only_protocol_and_the_base_library()
    {
        var references = Engine.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("HamachiCloud.Protocol", references);
        Assert.All(references, name => Assert.True(
            name == "HamachiCloud.Protocol" || name.StartsWith("System", StringComparison.Ordinal) || name == "netstandard",
            $"Agent.Engine must not reference {name} (no OS APIs, ASP.NET, EF or Platform)"));
    }

    [Fact]
    public void Declares_no_native_calls()
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        var native = Engine.GetTypes()
            .SelectMany(type => type.GetMethods(All))
            .Where(method => method.Attributes.HasFlag(MethodAttributes.PinvokeImpl) || method.GetCustomAttribute<LibraryImportAttribute>() is not null)
            .Select(method => $"{method.DeclaringType}.{method.Name}")
            .ToList();

        Assert.Empty(native);
    }
}
