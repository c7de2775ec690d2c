namespace HamachiCloud.Data.Entities;

/// <summary>
/// A ban set by support staff: an IPv4 or IPv6 range (<see cref="Cidr"/>), one account (<see cref="UserId"/>) or one
/// device (<see cref="DeviceId"/>), per <see cref="Kind"/>. Enforced where its <see cref="Scope"/> says. Lifting a
/// ban keeps the row (<see cref="LiftedAt"/>), so its hit count and history stay readable.
/// </summary>
public class Ban
{
    public Guid Id { get; set; }
    public BanKind Kind { get; set; }

    /// <summary>Canonical CIDR text (network address masked), e.g. "198.51.100.0/24"; null unless a range ban.</summary>
    public string? Cidr { get; set; }

    /// <summary>The banned account (account bans).</summary>
    public Guid? UserId { get; set; }

    /// <summary>The banned device (device bans).</summary>
    public Guid? DeviceId { get; set; }

    /// <summary>The public reason, shown to the banned user.</summary>
    public string Reason { get; set; } = "";

    /// <summary>A private note for staff; never shown to the banned user.</summary>
    public string? StaffNote { get; set; }

    public BanScope Scope { get; set; } = BanScope.All;

    /// <summary>Range bans: accounts on a paid plan are not held by this ban.</summary>
    public bool ExemptPaidAccounts { get; set; }

    /// <summary>Range bans: accounts older than this many days that were never banned are not held by this ban (null: no such exemption).</summary>
    public int? ExemptAccountsOlderThanDays { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public Guid? CreatedById { get; set; }

    /// <summary>When the ban was lifted by staff (null: not lifted).</summary>
    public DateTimeOffset? LiftedAt { get; set; }

    public Guid? LiftedById { get; set; }

    /// <summary>Bumped on every change (create, edit, lift): other nodes compare it to know their copy is stale.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>How many requests, logins or relayed flows the ban refused (added up by the nodes and relays).</summary>
    public long HitCount { get; set; }

    public DateTimeOffset? LastHitAt { get; set; }
}

/// <summary>What a <see cref="Ban"/> holds.</summary>
public enum BanKind
{
    Range = 0,
    Account = 1,
    Device = 2,
}

/// <summary>Where a <see cref="Ban"/> is enforced.</summary>
[Flags]
public enum BanScope
{
    None = 0,

    /// <summary>Sign-in, identity endpoints and the REST API.</summary>
    SignInAndApi = 1,

    /// <summary>Agents' control channel (the hub's login and live sessions).</summary>
    Control = 2,

    /// <summary>Relayed flows at every relay.</summary>
    Relays = 4,

    All = SignInAndApi | Control | Relays,
}
