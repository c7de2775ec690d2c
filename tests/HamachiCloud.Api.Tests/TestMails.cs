namespace HamachiCloud.Api.Tests;

/// <summary>Reads the mails an Api under test wrote to its pickup folder (<see cref="ApiFactory.MailDirectory"/>).</summary>
public static class TestMails
{
    /// <summary>The text of the first mail to <paramref name="to"/> whose text holds <paramref name="subject"/>; up to 60 s (mails are Hangfire jobs, and Hangfire.PostgreSql polls its queue every 15 s).</summary>
    public static async Task<string> WaitForAsync(ApiFactory f, string to, string subject)
    {
        for (var i = 0; i < 300; i++)
        {
            if (Directory.Exists(f.MailDirectory))
            {
                foreach (var file in Directory.GetFiles(f.MailDirectory, "*.eml"))
                {
                    string text;
                    try
                    {
                        text = await File.ReadAllTextAsync(file);
                    }
                    catch (IOException)
                    {
                        continue; // still being written
                    }

                    if (text.Contains(to, StringComparison.OrdinalIgnoreCase) && text.Contains(subject, StringComparison.Ordinal))
                    {
                        return text;
                    }
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), TimeProvider.System);
        }

        throw new TimeoutException($"no mail '{subject}' to {to} in {f.MailDirectory}");
    }

    /// <summary>Whether any mail to <paramref name="to"/> holds <paramref name="subject"/> now.</summary>
    public static bool Any(ApiFactory f, string to, string subject) =>
        Directory.Exists(f.MailDirectory)
        && Directory.GetFiles(f.MailDirectory, "*.eml").Any(file =>
        {
            var text = File.ReadAllText(file);
            return text.Contains(to, StringComparison.OrdinalIgnoreCase) && text.Contains(subject, StringComparison.Ordinal);
        });
}
