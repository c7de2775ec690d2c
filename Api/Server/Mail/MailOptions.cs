using Microsoft.Extensions.Options;
using MimeKit;

namespace HamachiCloud.Api.Mail;

/// <summary>
/// Section <c>Mail</c>: how account mails (confirmation, password reset) leave the Api. Without
/// <see cref="SmtpHost"/> each message is written as an <c>.eml</c> file into <see cref="PickupDirectory"/>
/// (development, tests) and its path logged; with it, it is sent over SMTP.
/// </summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    /// <summary>Where messages are written when no SMTP host is set.</summary>
    public string PickupDirectory { get; set; } = "data/mail";

    /// <summary>The SMTP server; empty = write to <see cref="PickupDirectory"/> instead.</summary>
    public string SmtpHost { get; set; } = "";

    public int SmtpPort { get; set; } = 587;

    /// <summary>STARTTLS required (true) or never attempted (false); port 465 always uses implicit TLS.</summary>
    public bool UseStartTls { get; set; } = true;

    /// <summary>SMTP user; empty = no authentication.</summary>
    public string Username { get; set; } = "";

    public string Password { get; set; } = "";

    /// <summary>The sender, "Name &lt;address&gt;".</summary>
    public string From { get; set; } = "HamachiCloud <no-reply@hamachi.local>";

    internal bool UsesSmtp => !string.IsNullOrWhiteSpace(SmtpHost);

    internal sealed class Validator : IValidateOptions<MailOptions>
    {
        public ValidateOptionsResult Validate(string? name, MailOptions o)
        {
            var failures = new List<string>();
            if (!o.UsesSmtp && string.IsNullOrWhiteSpace(o.PickupDirectory))
            {
                failures.Add($"{Section}:PickupDirectory is required when {Section}:SmtpHost is empty");
            }

            if (o.SmtpPort is < 1 or > 65535)
            {
                failures.Add($"{Section}:SmtpPort must be 1..65535 (got {o.SmtpPort})");
            }

            if (!MailboxAddress.TryParse(o.From, out _))
            {
                failures.Add($"{Section}:From: '{o.From}' is not a mail address (e.g. \"HamachiCloud <no-reply@example.com>\")");
            }

            if (string.IsNullOrEmpty(o.Username) != string.IsNullOrEmpty(o.Password))
            {
                failures.Add($"{Section}:Username and {Section}:Password go together (both set or both empty)");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
