namespace HamachiCloud.Data.Entities;

/// <summary>
/// A key that enrols headless machines into an account without a browser. Only its SHA-256 hash
/// is stored; <see cref="Prefix"/> lets the owner recognise it.
/// </summary>
public class SetupKey
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public User? User { get; set; }
    public string Name { get; set; } = "";
    public string KeyHash { get; set; } = "";
    public string Prefix { get; set; } = "";
    public bool Reusable { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public int UsageCount { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>The networks an enrolled device takes part in; empty: all of the account's networks.</summary>
    public List<SetupKeyNetwork> Networks { get; set; } = [];
}
