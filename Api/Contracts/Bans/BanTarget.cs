namespace HamachiCloud.Api.Contracts.Bans;

/// <summary>What a ban holds: an IPv4/IPv6 range, one account, or one device. JSON: "range", "account", "device".</summary>
public enum BanTarget
{
    Range = 0,
    Account = 1,
    Device = 2,
}
