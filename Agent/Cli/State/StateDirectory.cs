using System.Text.Json;
using HamachiCloud.Agent.Engine.Control;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Agent.State;

/// <summary>
/// The agent's state directory (default <see cref="DefaultPath"/>, mode 0700): the machine key
/// (Ed25519) and node key (X25519) as base64 seeds, the enrolment, OAuth tokens and the signed
/// map cache. Secrets are created 0600 and written atomically (temp file + rename).
/// </summary>
public sealed class StateDirectory
{
    public const string DefaultPath = "/var/lib/hamachi";
    public const string MachineKeyFile = "machine.key";
    public const string NodeKeyFile = "node.key";
    public const string EnrolmentFile = "enrolment.json";
    public const string TokensFile = "tokens.json";
    public const string MapCacheFile = "netmap.json";
    public const string SocketFile = "hamachi.sock";
    public const string RoutePreferencesFile = "routes.json";

    public StateDirectory(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
    }

    public string Path { get; }

    public string SocketPath => File(SocketFile);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void EnsureExists()
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(Path);
        }
        else
        {
            Directory.CreateDirectory(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>The machine key, created on first use.</summary>
    public SigningKey LoadOrCreateMachineKey()
    {
        var seed = ReadSecret(MachineKeyFile);
        if (seed is null)
        {
            using var fresh = SigningKey.Generate();
            WriteSecret(MachineKeyFile, Convert.ToBase64String(fresh.ToBytes()));
            seed = ReadSecret(MachineKeyFile)!;
        }

        return SigningKey.FromBytes(Convert.FromBase64String(seed));
    }

    /// <summary>The node key (WireGuard static key), created on first use.</summary>
    public NodePrivateKey LoadOrCreateNodeKey()
    {
        var text = ReadSecret(NodeKeyFile);
        if (text is null)
        {
            using var random = System.Security.Cryptography.RandomNumberGenerator.Create();
            using var fresh = NodePrivateKey.Generate(random);
            WriteSecret(NodeKeyFile, fresh.ToBase64());
            text = ReadSecret(NodeKeyFile)!;
        }

        return NodePrivateKey.TryParseBase64(text, out var key) && key is not null
            ? key
            : throw new InvalidDataException($"{File(NodeKeyFile)}: not a base64 X25519 private key");
    }

    public Enrolment? LoadEnrolment() => Load<Enrolment>(EnrolmentFile);

    public void SaveEnrolment(Enrolment enrolment) => Save(EnrolmentFile, enrolment);

    public StoredTokens? LoadTokens() => Load<StoredTokens>(TokensFile);

    public void SaveTokens(StoredTokens tokens) => Save(TokensFile, tokens);

    public CachedMap? LoadMapCache() => Load<CachedMap>(MapCacheFile);

    public void SaveMapCache(CachedMap cache) => Save(MapCacheFile, cache);

    public RoutePreferences LoadRoutePreferences() => Load<RoutePreferences>(RoutePreferencesFile) ?? new RoutePreferences(false);

    public void SaveRoutePreferences(RoutePreferences preferences) => Save(RoutePreferencesFile, preferences);

    /// <summary>Deletes enrolment, tokens, map cache, route preferences and keys (logout). Returns the files removed.</summary>
    public IReadOnlyList<string> Clear()
    {
        var removed = new List<string>();
        foreach (var name in new[] { EnrolmentFile, TokensFile, MapCacheFile, RoutePreferencesFile, MachineKeyFile, NodeKeyFile })
        {
            var path = File(name);
            if (System.IO.File.Exists(path))
            {
                System.IO.File.Delete(path);
                removed.Add(path);
            }
        }

        return removed;
    }

    private T? Load<T>(string name)
        where T : class
    {
        var text = ReadSecret(name);
        try
        {
            return text is null ? null : JsonSerializer.Deserialize<T>(text, ControlJson.Options);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{File(name)}: not valid {typeof(T).Name} JSON ({e.Message})", e);
        }
    }

    private void Save<T>(string name, T value) => WriteSecret(name, JsonSerializer.Serialize(value, ControlJson.Options));

    private string? ReadSecret(string name)
    {
        var path = File(name);
        return System.IO.File.Exists(path) ? System.IO.File.ReadAllText(path).Trim() : null;
    }

    private void WriteSecret(string name, string content)
    {
        EnsureExists();
        var path = File(name);
        var temp = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temp, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
        }

        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        System.IO.File.Move(temp, path, overwrite: true);
    }
}
