namespace HamachiCloud.Architecture.Tests;

/// <summary>
/// Where the production assemblies are: built next to this test assembly (the csproj references
/// every production project), and which project each comes from, so a rule for a project that
/// does not exist yet (Portal) can say so instead of failing.
/// </summary>
internal static class ProductionAssemblies
{
    /// <summary>Assembly name and its project file relative to the repository root.</summary>
    public static readonly IReadOnlyList<(string Assembly, string Project)> All =
    [
        ("HamachiCloud.Protocol", "Protocol/HamachiCloud.Protocol.csproj"),
        ("HamachiCloud.Data", "Data/HamachiCloud.Data.csproj"),
        ("HamachiCloud.Migrations", "Migrations/HamachiCloud.Migrations.csproj"),
        ("HamachiCloud.Api.Contracts", "Api/Contracts/HamachiCloud.Api.Contracts.csproj"),
        ("HamachiCloud.Api", "Api/Server/HamachiCloud.Api.csproj"),
        ("HamachiCloud.Portal", "Portal/HamachiCloud.Portal.csproj"),
        ("HamachiCloud.Agent.Engine", "Agent/Engine/HamachiCloud.Agent.Engine.csproj"),
        ("HamachiCloud.Agent.Platform", "Agent/Platform/HamachiCloud.Agent.Platform.csproj"),
        ("hamachi", "Agent/Cli/HamachiCloud.Agent.csproj"),
    ];

    /// <summary>The built assembly next to the tests, or null when it is not there.</summary>
    public static string? Find(string assemblyName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, assemblyName + ".dll");
        return File.Exists(path) ? path : null;
    }

    /// <summary>Our production assemblies next to the tests (test projects and Testing excluded).</summary>
    public static IEnumerable<string> FindAllBuilt() =>
        Directory.EnumerateFiles(AppContext.BaseDirectory, "HamachiCloud.*.dll")
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Where(n => !n.EndsWith(".Tests", StringComparison.Ordinal) && n != "HamachiCloud.Testing")
            .Concat(File.Exists(Path.Combine(AppContext.BaseDirectory, "hamachi.dll")) ? ["hamachi"] : [])
            .Order(StringComparer.Ordinal);

    /// <summary>The repository root: the first directory above the tests holding HamachiCloud.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HamachiCloud.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"find the repository root: no HamachiCloud.sln above {AppContext.BaseDirectory}");
    }
}
