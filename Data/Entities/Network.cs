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

    /// <summary>The plan that sets this network's member limit (see <see cref="Plan"/>).</summary>
    public string PlanId { get; set; } = Plan.FreeId;
    public Plan? Plan { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// Optimistic-concurrency token, renewed by every change of the member set, so two joins
    /// racing for the last seat cannot both succeed (the second save fails and is retried).
    /// </summary>
    public Guid ConcurrencyStamp { get; set; }
    public List<Membership> Memberships { get; set; } = [];
}
