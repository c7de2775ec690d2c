namespace HamachiCloud.Api.Mail;

/// <summary>A message could not be delivered (SMTP refused or unreachable, pickup directory not writable).</summary>
public sealed class MailException : Exception
{
    public MailException()
    {
    }

    public MailException(string message)
        : base(message)
    {
    }

    public MailException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
