namespace HamachiCloud.Api.Contracts.Support;

/// <summary>An account found by the support search; <see cref="DisabledAt"/> set when staff disabled it.</summary>
public sealed record SupportAccountHit(Guid Id, string Email, string DisplayName, DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt);
