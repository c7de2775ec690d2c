using HamachiCloud.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HamachiCloud.Data.Configurations;

internal sealed class NetworkConfiguration : IEntityTypeConfiguration<Network>
{
    public void Configure(EntityTypeBuilder<Network> n)
    {
        n.Property(x => x.NetworkId).HasMaxLength(16).IsRequired();
        n.HasIndex(x => x.NetworkId).IsUnique();
        n.Property(x => x.Name).HasMaxLength(64).IsRequired();
        n.Property(x => x.Type).HasConversion<string>().HasMaxLength(16);
        n.Property(x => x.JoinPolicy).HasConversion<string>().HasMaxLength(16);
        n.Property(x => x.PasswordHash).HasMaxLength(256);
        n.Property(x => x.PlanId).HasMaxLength(32);
        n.HasOne(x => x.Owner).WithMany().HasForeignKey(x => x.OwnerId).OnDelete(DeleteBehavior.Cascade);
        n.HasOne(x => x.Plan).WithMany().HasForeignKey(x => x.PlanId).OnDelete(DeleteBehavior.Restrict);
        n.HasIndex(x => x.OwnerId);
        n.Property(x => x.ConcurrencyStamp).IsConcurrencyToken();
    }
}
