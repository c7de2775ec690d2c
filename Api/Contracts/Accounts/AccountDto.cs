namespace HamachiCloud.Api.Contracts.Accounts;

/// <summary>
/// An account as its owner sees it (GET /api/v1/me). <see cref="EmailConfirmed"/> false: sign-in waits for the
/// mailed link (when the deployment requires it); <see cref="TwoFactorEnabled"/>: an authenticator is on.
/// </summary>
public sealed record AccountDto(
    Guid Id,
    string Email,
    string DisplayName,
    IReadOnlyList<string> Roles,
    string Plan,
    int DeviceCount,
    int MaxDevices,
    DateTimeOffset CreatedAt,
    bool EmailConfirmed = false,
    bool TwoFactorEnabled = false);
