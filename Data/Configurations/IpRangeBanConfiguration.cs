using HamachiCloud.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HamachiCloud.Data.Configurations;

internal sealed class IpRangeBanConfiguration : IEntityTypeConfiguration<IpRangeBan>
{
    public void Configure(EntityTypeBuilder<IpRangeBan> b)
    {
        b.Property(x => x.Cidr).HasMaxLength(49).IsRequired();
        b.Property(x => x.Reason).HasMaxLength(256).IsRequired();
        b.HasIndex(x => x.Cidr);
    }
}
