namespace HamachiCloud.Agent.Commands;

/// <summary>
/// The arguments of one verb: positionals, <c>--option VALUE</c> pairs and <c>--flag</c>s. Unknown
/// options are a usage error naming the option.
/// </summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);

    public List<string> Positionals { get; } = [];

    public bool Json => _flags.Contains("--json");

    /// <summary>Parses args[1..]; null with <paramref name="error"/> on an unknown or incomplete option.</summary>
    public static CliArgs? Parse(string[] args, string[] valueOptions, string[] flags, out string? error)
    {
        var parsed = new CliArgs();
        for (var i = 1; i < args.Length; i++)
        {
            var arg = args[i];
            if (valueOptions.Contains(arg) || arg is "--state-dir")
            {
                if (i + 1 >= args.Length)
                {
                    error = $"{arg} needs a value";
                    return null;
                }

                parsed._values[arg] = args[++i];
            }
            else if (flags.Contains(arg) || arg is "--json")
            {
                parsed._flags.Add(arg);
            }
            else if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                error = $"unknown option '{arg}'";
                return null;
            }
            else
            {
                parsed.Positionals.Add(arg);
            }
        }

        error = null;
        return parsed;
    }

    public string? Value(string option) => _values.GetValueOrDefault(option);

    public bool Flag(string flag) => _flags.Contains(flag);

    public string StateDir => Value("--state-dir") ?? Environment.GetEnvironmentVariable("HAMACHI_STATE_DIR") ?? State.StateDirectory.DefaultPath;
}
