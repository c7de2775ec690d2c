namespace HamachiCloud.Agent.Config;

/// <summary>A configuration file that cannot be used: "FILE:LINE: key 'X': reason". The agent exits with code 2.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string file, int line, string key, string reason)
        : base($"{file}:{line}: key '{key}': {reason}")
    {
        File = file;
        Line = line;
        Key = key;
        Reason = reason;
    }

    public ConfigException()
        : this("", 0, "", "invalid configuration")
    {
    }

    public ConfigException(string message)
        : base(message)
    {
        File = Key = Reason = "";
    }

    public ConfigException(string message, Exception inner)
        : base(message, inner)
    {
        File = Key = Reason = "";
    }

    public string File { get; }

    public int Line { get; }

    public string Key { get; }

    public string Reason { get; }
}
