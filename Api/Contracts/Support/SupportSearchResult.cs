namespace HamachiCloud.Api.Contracts.Support;

/// <summary>
/// GET /api/v1/support/search?q=…: accounts, networks and devices matching an email or name (part of it), a network
/// id (NNN-NNN-NNN), a virtual or public IP address, a device key (hex, with or without "nodekey:") or an id. At most
/// <c>Limit</c> of each.
/// </summary>
public sealed record SupportSearchResult(
    IReadOnlyList<SupportAccountHit> Accounts,
    IReadOnlyList<SupportNetworkHit> Networks,
    IReadOnlyList<SupportDeviceHit> Devices)
{
    public const int Limit = 25;
}
