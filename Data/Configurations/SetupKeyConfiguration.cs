using HamachiCloud.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HamachiCloud.Data.Configurations;

internal sealed class SetupKeyConfiguration : IEntityTypeConfiguration<SetupKey>
{
    public void Configure(EntityTypeBuilder<SetupKey> k)
    {
        k.Property(x => x.Name).HasMaxLength(64).IsRequired();
        k.Property(x => x.KeyHash).HasMaxLength(64).IsRequired();
        k.Property(x => x.Prefix).HasMaxLength(16).IsRequired();
        k.HasIndex(x => x.KeyHash).IsUnique();
        k.HasIndex(x => x.UserId);
        k.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
