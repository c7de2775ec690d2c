namespace HamachiCloud.Data.Entities;

/// <summary>A virtual network (Hamachi's "network"): members, join rules and a tier.</summary>
public class Network
{
    public Guid Id { get; set; }

    /// <summary>The id users type to join, e.g. "482-193-557". Unique.</summary>
    public string NetworkId { get; set; } = "";

    public string Name { get; set; } = "";
    public NetworkType Type { get; set; }
    public JoinPolicy JoinPolicy { get; set; }

    /// <summary>Identity password hash; null when the network has no password.</summary>
    public string? PasswordHash { get; set; }

    /// <summary>A locked network refuses every new join.</summary>
    public bool IsLocked { get; set; }

    public Guid OwnerId { get; set; }
    public User? Owner { get; set; }

    /// <summary>
    /// The plan in force for this network (see <see cref="Plan"/>): kept equal to the best of its own
    /// live subscriptions and its owner's account-wide ones (Free when none), recomputed whenever a
    /// subscription or grant changes. Never set it by hand.
    /// </summary>
    public string PlanId { get; set; } = Plan.FreeId;
    public Plan? Plan { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// Gateway routes may be public prefixes (outside the private and ULA ranges). Off by default;
    /// even when on, each member's device installs them only if it accepts public routes
    /// (<see cref="Device.AcceptPublicRoutes"/>).
    /// </summary>
    public bool AllowPublicRoutes { get; set; }

    /// <summary>
    /// Optimistic-concurrency token, renewed by every change of the member set, so two joins
    /// racing for the last seat cannot both succeed (the second save fails and is retried).
    /// </summary>
    public Guid ConcurrencyStamp { get; set; }
    public List<Membership> Memberships { get; set; } = [];
}
