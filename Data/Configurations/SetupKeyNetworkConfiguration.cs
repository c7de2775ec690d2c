using HamachiCloud.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HamachiCloud.Data.Configurations;

internal sealed class SetupKeyNetworkConfiguration : IEntityTypeConfiguration<SetupKeyNetwork>
{
    public void Configure(EntityTypeBuilder<SetupKeyNetwork> n)
    {
        n.HasKey(x => new { x.SetupKeyId, x.NetworkId });
        n.HasIndex(x => x.NetworkId);
        n.HasOne(x => x.SetupKey).WithMany(k => k.Networks).HasForeignKey(x => x.SetupKeyId).OnDelete(DeleteBehavior.Cascade);
        n.HasOne(x => x.Network).WithMany().HasForeignKey(x => x.NetworkId).OnDelete(DeleteBehavior.Cascade);
    }
}
