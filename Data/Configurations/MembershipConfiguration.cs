using HamachiCloud.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HamachiCloud.Data.Configurations;

internal sealed class MembershipConfiguration : IEntityTypeConfiguration<Membership>
{
    public void Configure(EntityTypeBuilder<Membership> m)
    {
        m.HasIndex(x => new { x.NetworkId, x.UserId }).IsUnique();
        m.HasIndex(x => x.UserId);
        m.Property(x => x.Role).HasConversion<string>().HasMaxLength(16);
        m.Property(x => x.HubRole).HasConversion<string>().HasMaxLength(16);
        m.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        m.Property(x => x.Nickname).HasMaxLength(64);
        m.HasOne(x => x.Network).WithMany(x => x.Memberships).HasForeignKey(x => x.NetworkId).OnDelete(DeleteBehavior.Cascade);
        m.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
