namespace HamachiCloud.Api.Contracts.Bans;

/// <summary>POST /api/v1/bans (support staff). No expiry: permanent until deleted.</summary>
public sealed record CreateBanRequest(string Cidr, string Reason, int? ExpiresInHours = null);
