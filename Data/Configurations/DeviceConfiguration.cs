using HamachiCloud.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HamachiCloud.Data.Configurations;

internal sealed class DeviceConfiguration : IEntityTypeConfiguration<Device>
{
    public void Configure(EntityTypeBuilder<Device> d)
    {
        d.Property(x => x.Name).HasMaxLength(64).IsRequired();
        d.Property(x => x.MachineKey).HasMaxLength(64).IsRequired();
        d.Property(x => x.NodeKey).HasMaxLength(64).IsRequired();
        d.HasIndex(x => x.MachineKey).IsUnique();
        d.HasIndex(x => x.NodeKey).IsUnique();
        d.HasIndex(x => x.VirtualIPv4).IsUnique();
        d.HasIndex(x => x.VirtualIPv6).IsUnique();
        d.Property(x => x.ConnectionId).HasMaxLength(128);
        d.HasIndex(x => x.ConnectionNodeId);
        d.Property(x => x.Endpoints).HasMaxLength(1024).IsRequired();
        d.Property(x => x.NatReport).HasMaxLength(4096);
        d.Property(x => x.Os).HasMaxLength(Device.MaxOsLength);
        d.Property(x => x.AgentVersion).HasMaxLength(Device.MaxAgentVersionLength);
        d.HasIndex(x => x.UserId);
        d.HasIndex(x => x.AuthorizationId);
        d.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
