namespace HamachiCloud.Api.Contracts.SetupKeys;

/// <summary>
/// POST /api/v1/setup-keys. Lifetime 1 hour to 90 days. <see cref="Networks"/>: ids (<c>NetworkDto.Id</c>)
/// of networks the caller manages (owner or admin); a device enrolled with the key takes part in
/// those networks only (it starts offline in the account's others). Null or empty: all networks.
/// </summary>
public sealed record CreateSetupKeyRequest(string Name, bool Reusable = false, int ExpiresInHours = 24, IReadOnlyList<Guid>? Networks = null);
