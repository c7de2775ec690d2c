using HamachiCloud.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HamachiCloud.Data.Configurations;

internal sealed class SubscriptionConfiguration : IEntityTypeConfiguration<Subscription>
{
    public void Configure(EntityTypeBuilder<Subscription> s)
    {
        s.Property(x => x.PlanId).HasMaxLength(32);
        s.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        s.Property(x => x.Source).HasConversion<string>().HasMaxLength(16);
        s.Property(x => x.BillingPeriod).HasMaxLength(16);
        s.Property(x => x.ExternalReference).HasMaxLength(128);
        s.Property(x => x.Reason).HasMaxLength(500);
        s.HasIndex(x => x.UserId);
        s.HasIndex(x => x.NetworkId);
        s.HasIndex(x => x.ExternalReference);
        s.HasOne(x => x.Network).WithMany().HasForeignKey(x => x.NetworkId).OnDelete(DeleteBehavior.Cascade);
        s.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        s.HasOne(x => x.Plan).WithMany().HasForeignKey(x => x.PlanId).OnDelete(DeleteBehavior.Restrict);
    }
}
