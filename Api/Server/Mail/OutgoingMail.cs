namespace HamachiCloud.Api.Mail;

/// <summary>One message to one recipient, with a plain-text and an HTML body (the HTML already encoded).</summary>
internal sealed record OutgoingMail(string To, string Subject, string Text, string Html);
