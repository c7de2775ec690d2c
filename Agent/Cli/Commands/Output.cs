using System.Text.Json;
using HamachiCloud.Agent.Engine.Control;
using Spectre.Console;

namespace HamachiCloud.Agent.Commands;

/// <summary>
/// How commands print: indented JSON for <c>--json</c>; Spectre.Console tables and spinners when
/// stdout is the console attached to a terminal; plain aligned text otherwise (pipes, tests).
/// </summary>
public static class Output
{
    private static readonly JsonSerializerOptions Indented = new(ControlJson.Options) { WriteIndented = true };

    public static void Json<T>(TextWriter stdout, T value) => stdout.WriteLine(JsonSerializer.Serialize(value, Indented));

    /// <summary>True when <paramref name="stdout"/> is a terminal that can show tables and spinners.</summary>
    public static bool Fancy(TextWriter stdout) =>
        ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Ansi;

    /// <summary>Runs <paramref name="work"/> under a spinner on a terminal, plainly otherwise.</summary>
    public static T Spin<T>(TextWriter stdout, string what, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Fancy(stdout) ? AnsiConsole.Status().Spinner(Spinner.Known.Dots).Start(Markup.Escape(what), _ => work()) : work();
    }

    /// <summary>A table: a header row and rows (a bordered Spectre table on a terminal, columns padded to their widest cell otherwise).</summary>
    public static void Table(TextWriter stdout, string[] header, IEnumerable<string[]> rows)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (Fancy(stdout))
        {
            var table = new Table().Border(TableBorder.Rounded);
            foreach (var column in header)
            {
                table.AddColumn(new TableColumn(new Text(column.Trim())));
            }

            if (header.All(string.IsNullOrWhiteSpace))
            {
                table.HideHeaders();
            }

            foreach (var row in rows)
            {
                table.AddRow(row.Select(cell => (Spectre.Console.Rendering.IRenderable)new Text(cell.Trim())));
            }

            AnsiConsole.Write(table);
            return;
        }

        var all = new List<string[]> { header };
        all.AddRange(rows);
        var widths = header.Select((_, i) => all.Max(r => i < r.Length ? r[i].Length : 0)).ToArray();
        foreach (var row in all)
        {
            stdout.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }
    }
}
