namespace HamachiCloud.Api.Contracts.Bans;

/// <summary>A banned IP range.</summary>
public sealed record BanDto(Guid Id, string Cidr, string Reason, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, Guid? CreatedById);
