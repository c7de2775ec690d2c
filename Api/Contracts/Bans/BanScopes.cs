namespace HamachiCloud.Api.Contracts.Bans;

/// <summary>
/// Where a ban is enforced (flags; JSON "sign-in-and-api, control" or "all"): sign-in, identity endpoints and
/// the REST API; the agents' control channel (hub login and live sessions); relayed flows at every relay.
/// </summary>
[Flags]
public enum BanScopes
{
    None = 0,
    SignInAndApi = 1,
    Control = 2,
    Relays = 4,
    All = SignInAndApi | Control | Relays,
}
