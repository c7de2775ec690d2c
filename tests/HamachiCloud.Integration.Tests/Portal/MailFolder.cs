using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using MimeKit;

namespace HamachiCloud.Integration.Tests.Portal;

/// <summary>
/// The Api's mail pickup directory (<c>Mail:PickupDirectory</c>): every message it sends is written there as an
/// <c>.eml</c> file. Finds the message to an address and the links in it (confirmation, password reset), as a
/// person would click them. Dispose deletes the directory.
/// </summary>
internal sealed partial class MailFolder : IDisposable
{
    private MailFolder(string path) => Path = path;

    public string Path { get; }

    public static MailFolder Create() => new(Directory.CreateTempSubdirectory("hamachi-mail-").FullName);

    /// <summary>Every message in the folder, oldest first.</summary>
    public IReadOnlyList<MimeMessage> Messages() =>
        Directory.EnumerateFiles(Path, "*.eml", SearchOption.AllDirectories)
            .OrderBy(File.GetLastWriteTimeUtc)
            .Select(Load)
            .ToList();

    /// <summary>The newest message to <paramref name="to"/> whose text has a link containing <paramref name="pathPart"/>; waits up to <paramref name="limit"/>.</summary>
    public async Task<(MimeMessage Message, Uri Link)> WaitForLinkAsync(string to, string pathPart, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            foreach (var message in Messages().Reverse())
            {
                if (message.To.Mailboxes.Any(m => string.Equals(m.Address, to, StringComparison.OrdinalIgnoreCase))
                    && Links(message).FirstOrDefault(l => l.AbsoluteUri.Contains(pathPart, StringComparison.Ordinal)) is { } link)
                {
                    return (message, link);
                }
            }

            if (clock.Elapsed > limit)
            {
                var seen = string.Join("\n", Messages().Select(m => $"  to {m.To}: {m.Subject}"));
                throw new TimeoutException($"no mail to {to} with a link to '{pathPart}' in {Path} within {limit.TotalSeconds} s; messages:\n{seen}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System);
        }
    }

    /// <summary>The absolute http(s) links in a message's text and HTML bodies (HTML entities decoded).</summary>
    public static IReadOnlyList<Uri> Links(MimeMessage message)
    {
        var links = new List<Uri>();
        foreach (var body in new[] { message.TextBody, message.HtmlBody })
        {
            if (body is null)
            {
                continue;
            }

            foreach (Match match in LinkPattern().Matches(body))
            {
                if (Uri.TryCreate(WebUtility.HtmlDecode(match.Value), UriKind.Absolute, out var uri) && !links.Contains(uri))
                {
                    links.Add(uri);
                }
            }
        }

        return links;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    private static MimeMessage Load(string file)
    {
        // The Api may still be writing it: retry a few times on a sharing violation or a half-written file.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return MimeMessage.Load(file);
            }
            catch (Exception e) when (attempt < 10 && e is IOException or FormatException)
            {
                Thread.Sleep(50);
            }
        }
    }

    [GeneratedRegex("""https?://[^\s"'<>]+""")]
    private static partial Regex LinkPattern();
}
