using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace HamachiCloud.Api.Mail;

/// <summary>
/// Sends <see cref="OutgoingMail"/>: over SMTP (MailKit) when <c>Mail:SmtpHost</c> is set, otherwise as an
/// <c>.eml</c> file in <c>Mail:PickupDirectory</c> named so that files sort by time
/// (<c>20261203-101500-&lt;guid&gt;.eml</c>), its path logged at Information. Stateless: one SMTP
/// connection per message (account mails are rare).
/// </summary>
internal sealed class MailSender(IOptions<MailOptions> options, TimeProvider clock, ILogger<MailSender> log)
{
    private readonly MailOptions _options = options.Value;

    /// <summary>Throws <see cref="MailException"/> naming the recipient when the message cannot be delivered.</summary>
    public async Task SendAsync(OutgoingMail mail, CancellationToken ct)
    {
        using var message = Build(mail);
        try
        {
            if (_options.UsesSmtp)
            {
                await SendSmtpAsync(message, ct);
                log.LogInformation("mail '{Subject}' sent to {To} through {Host}:{Port}", mail.Subject, mail.To, _options.SmtpHost, _options.SmtpPort);
            }
            else
            {
                var path = await WritePickupAsync(message, ct);
                log.LogInformation("mail '{Subject}' to {To} written to {Path}", mail.Subject, mail.To, path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or MailKit.ProtocolException or MailKit.Security.AuthenticationException
            or SslHandshakeException or SmtpCommandException or System.Net.Sockets.SocketException)
        {
            throw new MailException($"mail '{mail.Subject}' to {mail.To} via {Describe()}: {e.Message}", e);
        }
    }

    private MimeMessage Build(OutgoingMail mail)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(_options.From));
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Subject = mail.Subject;
        message.Date = clock.GetUtcNow();
        message.Body = new BodyBuilder { TextBody = mail.Text, HtmlBody = mail.Html }.ToMessageBody();
        return message;
    }

    private async Task SendSmtpAsync(MimeMessage message, CancellationToken ct)
    {
        using var smtp = new SmtpClient();
        var security = _options.SmtpPort == 465 ? SecureSocketOptions.SslOnConnect
            : _options.UseStartTls ? SecureSocketOptions.StartTls
            : SecureSocketOptions.None;
        await smtp.ConnectAsync(_options.SmtpHost, _options.SmtpPort, security, ct);
        if (!string.IsNullOrEmpty(_options.Username))
        {
            await smtp.AuthenticateAsync(_options.Username, _options.Password, ct);
        }

        await smtp.SendAsync(message, ct);
        await smtp.DisconnectAsync(quit: true, ct);
    }

    private async Task<string> WritePickupAsync(MimeMessage message, CancellationToken ct)
    {
        var directory = Path.GetFullPath(_options.PickupDirectory);
        Directory.CreateDirectory(directory);
        var now = clock.GetUtcNow();
        var path = Path.Combine(directory, $"{now:yyyyMMdd-HHmmss}-{Guid.CreateVersion7(now):N}.eml");
        await using (var file = File.Create(path))
        {
            await message.WriteToAsync(file, ct);
        }

        return path;
    }

    private string Describe() => _options.UsesSmtp ? $"SMTP {_options.SmtpHost}:{_options.SmtpPort}" : $"pickup directory {_options.PickupDirectory}";
}
