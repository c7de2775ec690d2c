using HamachiCloud.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HamachiCloud.Data.Configurations;

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> t)
    {
        t.Property(x => x.Name).HasMaxLength(64).IsRequired();
        t.Property(x => x.TokenHash).HasMaxLength(64).IsRequired();
        t.Property(x => x.Prefix).HasMaxLength(16).IsRequired();
        t.Property(x => x.Scopes).HasMaxLength(256).IsRequired();
        t.HasIndex(x => x.TokenHash).IsUnique();
        t.HasIndex(x => x.UserId);
        t.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
