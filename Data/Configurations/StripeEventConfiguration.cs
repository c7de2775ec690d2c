using HamachiCloud.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HamachiCloud.Data.Configurations;

internal sealed class StripeEventConfiguration : IEntityTypeConfiguration<StripeEvent>
{
    public void Configure(EntityTypeBuilder<StripeEvent> e)
    {
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasMaxLength(StripeEvent.MaxIdLength);
        e.Property(x => x.Type).HasMaxLength(64).IsRequired();
        e.Property(x => x.Outcome).HasMaxLength(200).IsRequired();
        e.HasIndex(x => x.ProcessedAt);
    }
}
