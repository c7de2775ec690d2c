using HamachiCloud.Data.Entities;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace HamachiCloud.Data;

/// <summary>
/// The one model of the service. Provider-neutral: the Migrations project holds one subclass per
/// provider (SQLite, PostgreSQL) that owns that provider's migrations.
/// </summary>
public abstract class HamachiDbContext : IdentityDbContext<User, Role, Guid>
{
    protected HamachiDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<Device> Devices => Set<Device>();
    public DbSet<Network> Networks => Set<Network>();
    public DbSet<Membership> Memberships => Set<Membership>();
    public DbSet<Plan> Plans => Set<Plan>();
    public DbSet<Subscription> Subscriptions => Set<Subscription>();
    public DbSet<StripeEvent> StripeEvents => Set<StripeEvent>();
    public DbSet<Ban> Bans => Set<Ban>();
    public DbSet<RelayUsageDay> RelayUsageDays => Set<RelayUsageDay>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<SetupKey> SetupKeys => Set<SetupKey>();
    public DbSet<SetupKeyNetwork> SetupKeyNetworks => Set<SetupKeyNetwork>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<DeviceNetworkState> DeviceNetworkStates => Set<DeviceNetworkState>();
    public DbSet<DeviceMapState> DeviceMapStates => Set<DeviceMapState>();
    public DbSet<ApiNode> ApiNodes => Set<ApiNode>();
    public DbSet<GatewayRoute> GatewayRoutes => Set<GatewayRoute>();
    public DbSet<Relay> Relays => Set<Relay>();
    public DbSet<PeerPathRecord> PeerPaths => Set<PeerPathRecord>();
    public DbSet<DeviceCodeRequest> DeviceCodeRequests => Set<DeviceCodeRequest>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.UseOpenIddict<Guid>();
        builder.ApplyConfigurationsFromAssembly(typeof(HamachiDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<System.Net.IPAddress>().HaveConversion<IPAddressConverter>().HaveMaxLength(45);
    }
}
