namespace HamachiCloud.Data.Entities;

/// <summary>
/// A personal API token for scripts: scoped, expiring, revocable. Only its SHA-256 hash is
/// stored; the plain token is shown once at creation.
/// </summary>
public class ApiToken
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public User? User { get; set; }
    public string Name { get; set; } = "";
    public string TokenHash { get; set; } = "";
    public string Prefix { get; set; } = "";

    /// <summary>Space-separated scopes, e.g. "networks:read networks:write".</summary>
    public string Scopes { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
}
