using HamachiCloud.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HamachiCloud.Data.Configurations;

/// <summary>The tiers, seeded: Free 5, Standard 32, Premium 256, Multi-network 256 account-wide.</summary>
internal sealed class PlanConfiguration : IEntityTypeConfiguration<Plan>
{
    public void Configure(EntityTypeBuilder<Plan> p)
    {
        p.Property(x => x.Id).HasMaxLength(32);
        p.Property(x => x.Name).HasMaxLength(64).IsRequired();
        p.Ignore(x => x.RelayBandwidthBitsPerSecond);
        p.HasData(
            new Plan { Id = Plan.FreeId, Name = "Free", MaxMembersPerNetwork = 5, RelayKbps = 2_000 },
            new Plan { Id = Plan.StandardId, Name = "Standard", MaxMembersPerNetwork = 32, RelayKbps = 10_000, MonthlyPriceCents = 499 },
            new Plan { Id = Plan.PremiumId, Name = "Premium", MaxMembersPerNetwork = 256, PremiumFeatures = true, RelayKbps = 50_000, MonthlyPriceCents = 999 },
            new Plan { Id = Plan.MultiNetworkId, Name = "Multi-network", MaxMembersPerNetwork = 256, AccountWide = true, PremiumFeatures = true, RelayKbps = 50_000, MonthlyPriceCents = 2999 });
    }
}
