namespace HamachiCloud.Api.Contracts.Bans;

/// <summary>
/// POST /api/v1/bans (support staff). No expiry: permanent until deleted. A range wider than
/// <c>Bans:WidestIPv4PrefixLength</c> / <c>WidestIPv6PrefixLength</c>, or one holding the caller's own
/// address or a live relay's, is refused (400 <c>ban_needs_confirmation</c>, the reasons in the detail)
/// unless <see cref="Confirm"/> is true: the second confirmation.
/// </summary>
public sealed record CreateBanRequest(string Cidr, string Reason, int? ExpiresInHours = null, bool Confirm = false);
