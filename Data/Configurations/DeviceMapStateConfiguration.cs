using HamachiCloud.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HamachiCloud.Data.Configurations;

internal sealed class DeviceMapStateConfiguration : IEntityTypeConfiguration<DeviceMapState>
{
    public void Configure(EntityTypeBuilder<DeviceMapState> s)
    {
        s.HasKey(x => x.DeviceId);
        s.Property(x => x.Version).IsConcurrencyToken();
        s.Property(x => x.Payload).IsRequired();
        s.HasOne(x => x.Device).WithOne().HasForeignKey<DeviceMapState>(x => x.DeviceId).OnDelete(DeleteBehavior.Cascade);
    }
}
