using HamachiCloud.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HamachiCloud.Data.Configurations;

internal sealed class PeerPathRecordConfiguration : IEntityTypeConfiguration<PeerPathRecord>
{
    public void Configure(EntityTypeBuilder<PeerPathRecord> p)
    {
        p.ToTable("PeerPaths");
        p.HasKey(x => new { x.DeviceId, x.PeerDeviceId });
        p.Property(x => x.Path).HasMaxLength(16).IsRequired();
        p.Property(x => x.Endpoint).HasMaxLength(256);
        p.Property(x => x.WhyNotDirect).HasMaxLength(256);
        p.PrimitiveCollection(x => x.CandidatesTried).IsRequired();
        p.HasIndex(x => x.PeerDeviceId);
        p.HasIndex(x => x.ReportedAt);
        p.HasOne(x => x.Device).WithMany().HasForeignKey(x => x.DeviceId).OnDelete(DeleteBehavior.Cascade);
        p.HasOne(x => x.PeerDevice).WithMany().HasForeignKey(x => x.PeerDeviceId).OnDelete(DeleteBehavior.Cascade);
    }
}
