using Xunit.Abstractions;

namespace HamachiCloud.Architecture.Tests;

/// <summary>
/// The dependency rules (<see cref="DependencyRules"/>) on the real, built production assemblies,
/// read from their metadata next to this test assembly.
/// </summary>
public class AssemblyDependencyTests(ITestOutputHelper output)
{
    public static TheoryData<string> Assemblies()
    {
        var data = new TheoryData<string>();
        foreach (var (assembly, _) in ProductionAssemblies.All)
        {
            data.Add(assembly);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Assembly_obeys_the_dependency_rules(string assemblyName)
    {
        var project = ProductionAssemblies.All.Single(a => a.Assembly == assemblyName).Project;
        var path = ProductionAssemblies.Find(assemblyName);
        if (path is null)
        {
            // Not a skip: CI fails on skipped tests, and a project that does not exist yet
            // (the Portal) has nothing to check. Once the project exists it must be built here.
            Assert.False(
                File.Exists(Path.Combine(ProductionAssemblies.RepositoryRoot(), project)),
                $"{project} exists but {assemblyName}.dll is not next to the tests: add a ProjectReference to it in HamachiCloud.Architecture.Tests.csproj");
            output.WriteLine($"NOTE: {project} does not exist yet; the rule for {assemblyName} applies once it does.");
            return;
        }

        var metadata = AssemblyMetadata.Read(path);
        Assert.Equal(assemblyName, metadata.Name);

        var violations = DependencyRules.Violations(metadata.Name, metadata.References, metadata.TypeReferences);

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void Every_built_production_assembly_has_a_rule()
    {
        var built = ProductionAssemblies.FindAllBuilt().ToList();

        Assert.Contains("HamachiCloud.Protocol", built);
        Assert.All(built, name => Assert.True(
            DependencyRules.HasRules(name),
            $"{name} has no dependency rule: add it to DependencyRules and ProductionAssemblies"));
    }

    [Fact]
    public void Metadata_reader_sees_assembly_and_type_references()
    {
        // Guards against a blind reader that would make every rule pass: the Api uses EF Core,
        // its own Data assembly, and System.Net.Sockets.AddressFamily (address pool validation).
        var api = AssemblyMetadata.Read(ProductionAssemblies.Find("HamachiCloud.Api")
            ?? throw new InvalidOperationException("HamachiCloud.Api.dll is not next to the tests"));

        Assert.Contains("HamachiCloud.Data", api.References);
        Assert.Contains(api.References, r => r.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
        Assert.Contains("System.Net.Sockets.AddressFamily", api.TypeReferences);
    }
}
