using Microsoft.AspNetCore.Identity;

namespace HamachiCloud.Data.Entities;

/// <summary>A deployment-wide role (see <see cref="Roles"/>), not a network role.</summary>
public class Role : IdentityRole<Guid>
{
}
