using HamachiCloud.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HamachiCloud.Data.Configurations;

internal sealed class GatewayRouteConfiguration : IEntityTypeConfiguration<GatewayRoute>
{
    public void Configure(EntityTypeBuilder<GatewayRoute> r)
    {
        r.Property(x => x.Prefix).HasMaxLength(49).IsRequired();
        r.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
        r.HasIndex(x => new { x.NetworkId, x.DeviceId, x.Prefix }).IsUnique();
        r.HasIndex(x => x.DeviceId);
        r.HasOne(x => x.Network).WithMany().HasForeignKey(x => x.NetworkId).OnDelete(DeleteBehavior.Cascade);
        r.HasOne(x => x.Device).WithMany().HasForeignKey(x => x.DeviceId).OnDelete(DeleteBehavior.Cascade);
    }
}
