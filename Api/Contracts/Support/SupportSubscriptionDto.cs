namespace HamachiCloud.Api.Contracts.Support;

/// <summary>A live subscription or grant of an account (account-wide when <see cref="NetworkId"/> is null).</summary>
public sealed record SupportSubscriptionDto(Guid Id, string PlanId, string Source, string Status, Guid? NetworkId, DateTimeOffset? EndsAt);
