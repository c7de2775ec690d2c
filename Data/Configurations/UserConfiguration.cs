using HamachiCloud.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HamachiCloud.Data.Configurations;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> u)
    {
        u.Property(x => x.DisplayName).HasMaxLength(64).IsRequired();
        u.Property(x => x.StripeCustomerId).HasMaxLength(64);
        u.HasIndex(x => x.StripeCustomerId).IsUnique();
        u.Property(x => x.DisabledReason).HasMaxLength(256);
    }
}
