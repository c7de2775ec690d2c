using HamachiCloud.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HamachiCloud.Data.Configurations;

internal sealed class RelayConfiguration : IEntityTypeConfiguration<Relay>
{
    public void Configure(EntityTypeBuilder<Relay> b)
    {
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.Name).HasMaxLength(64).IsRequired();
        b.Property(x => x.Region).HasMaxLength(64).IsRequired();
        b.Property(x => x.UdpEndpoints).HasMaxLength(512).IsRequired();
        b.Property(x => x.StunEndpoints).HasMaxLength(512).IsRequired();
        b.Property(x => x.WebSocketUrl).HasMaxLength(256);
        b.HasIndex(x => x.LastSeenAt);
    }
}
