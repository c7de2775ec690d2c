using HamachiCloud.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HamachiCloud.Data.Configurations;

internal sealed class RelayUsageDayConfiguration : IEntityTypeConfiguration<RelayUsageDay>
{
    public void Configure(EntityTypeBuilder<RelayUsageDay> r)
    {
        r.HasIndex(x => new { x.NetworkId, x.Day }).IsUnique();
        r.HasIndex(x => new { x.OwnerUserId, x.Day });
    }
}
