using HamachiCloud.Api.Contracts.Audit;

namespace HamachiCloud.Api.Contracts.Support;

/// <summary>
/// GET /api/v1/support/accounts/{id}: the account, its roles, live plans, networks (owned and joined), devices, recent
/// sign-ins and failures with addresses (audit events, newest first) and the bans that touch it.
/// </summary>
public sealed record SupportAccountDto(
    SupportAccountHit Account,
    string? DisabledReason,
    bool EmailConfirmed,
    bool TwoFactorEnabled,
    IReadOnlyList<string> Roles,
    IReadOnlyList<SupportSubscriptionDto> Plans,
    IReadOnlyList<SupportNetworkHit> Networks,
    IReadOnlyList<SupportDeviceHit> Devices,
    IReadOnlyList<AuditEventDto> SignIns,
    IReadOnlyList<SupportBanDto> Bans);
