using HamachiCloud.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HamachiCloud.Data.Configurations;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> a)
    {
        a.Property(x => x.Action).HasMaxLength(64).IsRequired();
        a.Property(x => x.TargetType).HasMaxLength(32).IsRequired();
        a.Property(x => x.TargetId).HasMaxLength(64).IsRequired();
        a.Property(x => x.Details).HasMaxLength(4000);
        a.Property(x => x.IpAddress).HasMaxLength(45);
        a.HasIndex(x => x.At);
        a.HasIndex(x => new { x.TargetType, x.TargetId });
        a.HasIndex(x => new { x.NetworkId, x.At });
        a.HasIndex(x => new { x.ActorUserId, x.At });
    }
}
