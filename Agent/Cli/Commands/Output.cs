using System.Text.Json;
using HamachiCloud.Agent.Engine.Control;

namespace HamachiCloud.Agent.Commands;

/// <summary>How commands print: indented JSON for <c>--json</c>, aligned text tables otherwise.</summary>
public static class Output
{
    private static readonly JsonSerializerOptions Indented = new(ControlJson.Options) { WriteIndented = true };

    public static void Json<T>(TextWriter stdout, T value) => stdout.WriteLine(JsonSerializer.Serialize(value, Indented));

    /// <summary>A plain table: a header row and rows, columns padded to their widest cell.</summary>
    public static void Table(TextWriter stdout, string[] header, IEnumerable<string[]> rows)
    {
        var all = new List<string[]> { header };
        all.AddRange(rows);
        var widths = header.Select((_, i) => all.Max(r => i < r.Length ? r[i].Length : 0)).ToArray();
        foreach (var row in all)
        {
            stdout.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }
    }
}
