using HamachiCloud.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HamachiCloud.Data.Configurations;

internal sealed class DeviceNetworkStateConfiguration : IEntityTypeConfiguration<DeviceNetworkState>
{
    public void Configure(EntityTypeBuilder<DeviceNetworkState> s)
    {
        s.HasKey(x => new { x.DeviceId, x.NetworkId });
        s.HasIndex(x => x.NetworkId);
        s.HasOne(x => x.Device).WithMany().HasForeignKey(x => x.DeviceId).OnDelete(DeleteBehavior.Cascade);
        s.HasOne(x => x.Network).WithMany().HasForeignKey(x => x.NetworkId).OnDelete(DeleteBehavior.Cascade);
    }
}
