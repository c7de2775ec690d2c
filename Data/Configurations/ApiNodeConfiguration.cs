using HamachiCloud.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HamachiCloud.Data.Configurations;

internal sealed class ApiNodeConfiguration : IEntityTypeConfiguration<ApiNode>
{
    public void Configure(EntityTypeBuilder<ApiNode> n)
    {
        n.HasKey(x => x.Id);
        n.Property(x => x.Name).HasMaxLength(128).IsRequired();
        n.HasIndex(x => x.HeartbeatAt);
    }
}
