namespace HamachiCloud.Api.Contracts.Support;

/// <summary>The body of every support action (disable, enable, end sessions, revoke a device): the reason is required and lands in the audit log.</summary>
public sealed record SupportActionRequest(string Reason);
