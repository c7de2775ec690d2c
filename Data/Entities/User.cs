using Microsoft.AspNetCore.Identity;

namespace HamachiCloud.Data.Entities;

/// <summary>An account: a person who signs in, owns devices and networks.</summary>
public class User : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}
