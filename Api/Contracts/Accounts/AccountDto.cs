namespace HamachiCloud.Api.Contracts.Accounts;

/// <summary>An account as its owner sees it (GET /api/v1/me).</summary>
public sealed record AccountDto(
    Guid Id,
    string Email,
    string DisplayName,
    IReadOnlyList<string> Roles,
    string Plan,
    int DeviceCount,
    int MaxDevices,
    DateTimeOffset CreatedAt);
