using HamachiCloud.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HamachiCloud.Data.Configurations;

internal sealed class BanConfiguration : IEntityTypeConfiguration<Ban>
{
    public void Configure(EntityTypeBuilder<Ban> b)
    {
        b.Property(x => x.Cidr).HasMaxLength(49);
        b.Property(x => x.Reason).HasMaxLength(256).IsRequired();
        b.Property(x => x.StaffNote).HasMaxLength(2000);
        b.HasIndex(x => x.Cidr);
        b.HasIndex(x => x.UserId);
        b.HasIndex(x => x.DeviceId);
        b.HasIndex(x => x.UpdatedAt);
    }
}
