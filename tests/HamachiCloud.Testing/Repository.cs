namespace HamachiCloud.Testing;

/// <summary>The repository checkout the tests run from (the folder holding HamachiCloud.sln).</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HamachiCloud.sln")))
            {
                return dir.FullName;
            }
        }

        throw new FileNotFoundException($"HamachiCloud.sln not found above {AppContext.BaseDirectory}");
    }
}
