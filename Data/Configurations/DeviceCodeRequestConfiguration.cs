using HamachiCloud.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HamachiCloud.Data.Configurations;

internal sealed class DeviceCodeRequestConfiguration : IEntityTypeConfiguration<DeviceCodeRequest>
{
    public void Configure(EntityTypeBuilder<DeviceCodeRequest> r)
    {
        r.Property(x => x.UserCode).HasMaxLength(DeviceCodeRequest.MaxCodeLength).IsRequired();
        r.Property(x => x.NormalizedCode).HasMaxLength(DeviceCodeRequest.MaxCodeLength).IsRequired();
        r.HasIndex(x => x.NormalizedCode).IsUnique();
        r.Property(x => x.DeviceName).HasMaxLength(DeviceCodeRequest.MaxDeviceNameLength);
        r.Property(x => x.DeviceOs).HasMaxLength(DeviceCodeRequest.MaxDeviceOsLength);
        r.Property(x => x.RequestedFrom).HasMaxLength(45);
        r.HasIndex(x => x.ExpiresAt);
    }
}
