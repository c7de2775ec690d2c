using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using HamachiCloud.Data;
using HamachiCloud.Data.Entities;
using HamachiCloud.Migrations;
using HamachiCloud.Protocol.Networks;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace PortalBench;

/// <summary>
/// Writes the benchmark's data set straight into a migrated PostgreSQL database through the Migrations
/// DbContext: accounts (only the benchmark user has a password: hashing thousands would take minutes),
/// one device per account, Standard/Premium subscriptions, networks and memberships, and a reusable
/// setup key for the member whose agent the live measurement plays. Bulk AddRange, one SaveChanges per
/// batch, change tracking cleared between batches. Refuses a database that already has networks.
/// </summary>
internal sealed class Seeder(TimeProvider clock)
{
    private const int BatchSize = 2000;

    /// <summary>The Api's default pools (Addresses:IPv4Pool / IPv6Prefix): seeded addresses look like allocated ones.</summary>
    private static readonly IPAddress V4Base = IPAddress.Parse("100.64.0.0");

    private static readonly IPAddress V6Prefix = IPAddress.Parse("fd48:616d:6163::");

    public async Task<SeedState> RunAsync(string connectionString, SeedShape shape, CancellationToken ct)
    {
        shape.Validate();
        await using var db = DatabaseRegistration.CreateContext(DatabaseProvider.Postgres, connectionString);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        if (await db.Networks.AnyAsync(ct))
        {
            throw new InvalidOperationException("seed: the database already has networks; seed a fresh one (portal.sh starts a throwaway PostgreSQL)");
        }

        var now = clock.GetUtcNow();
        var password = "bench-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var me = NewUser("bench@portal-bench.test", "Bench Owner", now);
        me.PasswordHash = new PasswordHasher<User>().HashPassword(me, password);
        var pool = Enumerable.Range(1, shape.Users).Select(i => NewUser($"member{i:D5}@portal-bench.test", $"Member {i:D5}", now)).ToList();
        List<User> everyone = [me, .. pool];
        await SaveAsync(db, everyone, ct);
        await SaveAsync(db, everyone.Select((u, i) => NewDevice(u, i, now)).ToList(), ct);

        // The big network: the benchmark user owns it, the first BigNetworkMembers - 1 pool accounts are members.
        var networks = new List<Network>();
        var memberships = new List<Membership>();
        var big = NewNetwork(0, "big-256 premium office", me.Id, Plan.PremiumId, NetworkType.Mesh, now);
        networks.Add(big);
        memberships.Add(NewMembership(big, me.Id, MemberRole.Owner, now));
        memberships.AddRange(pool.Take(shape.BigNetworkMembers - 1).Select(u => NewMembership(big, u.Id, MemberRole.Member, now)));

        // The others: the remaining memberships spread evenly, each network a block of consecutive pool
        // accounts (its first the owner, on Standard); the benchmark user takes the last seat of the first MyNetworks - 1.
        var others = shape.Networks - 1;
        var rest = shape.Memberships - shape.BigNetworkMembers;
        var owners = new HashSet<Guid>();
        for (var k = 1; k <= others; k++)
        {
            var size = rest / others + (k <= rest % others ? 1 : 0);
            var ownerIndex = k * 13 % pool.Count;
            var network = NewNetwork(k, $"net-{k:D3} {(k % 10 == 0 ? "hub" : "team")}", pool[ownerIndex].Id, Plan.StandardId,
                k % 10 == 0 ? NetworkType.HubAndSpoke : NetworkType.Mesh, now);
            networks.Add(network);
            owners.Add(network.OwnerId);
            for (var j = 0; j < size; j++)
            {
                var last = j == size - 1;
                var userId = last && k < shape.MyNetworks && size > 1 ? me.Id : pool[(ownerIndex + j) % pool.Count].Id;
                memberships.Add(NewMembership(network, userId, j == 0 ? MemberRole.Owner : MemberRole.Member, now));
            }
        }

        await SaveAsync(db, networks, ct);
        await SaveAsync(db, memberships, ct);
        var subscriptions = owners.Select(o => NewSubscription(o, Plan.StandardId, now)).Append(NewSubscription(me.Id, Plan.PremiumId, now)).ToList();
        await SaveAsync(db, subscriptions, ct);

        // The live measurement's agent: a plain member of the big network, enrolling with this key.
        var agentUser = pool[6];
        var setupKey = "hc_key_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        await SaveAsync(db, [new SetupKey
        {
            Id = Guid.CreateVersion7(now),
            UserId = agentUser.Id,
            Name = "portal-bench agent",
            KeyHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(setupKey))),
            Prefix = setupKey[..11],
            Reusable = true,
            CreatedAt = now,
            ExpiresAt = now.AddDays(1),
        }], ct);

        var mine = memberships.Count(m => m.UserId == me.Id);
        return new SeedState(me.Email!, password, me.Id, networks.Count, memberships.Count, mine, big.Id, shape.BigNetworkMembers, agentUser.Id, setupKey);
    }

    private static async Task SaveAsync<T>(HamachiDbContext db, IReadOnlyList<T> rows, CancellationToken ct)
        where T : class
    {
        for (var i = 0; i < rows.Count; i += BatchSize)
        {
            db.Set<T>().AddRange(rows.Skip(i).Take(BatchSize));
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
    }

    private static User NewUser(string email, string name, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        UserName = email,
        NormalizedUserName = email.ToUpperInvariant(),
        Email = email,
        NormalizedEmail = email.ToUpperInvariant(),
        EmailConfirmed = true,
        SecurityStamp = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
        ConcurrencyStamp = Guid.NewGuid().ToString(),
        LockoutEnabled = true,
        DisplayName = name,
        CreatedAt = now,
    };

    private static Device NewDevice(User user, int index, DateTimeOffset now)
    {
        var v4 = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(v4, BinaryPrimitives.ReadUInt32BigEndian(V4Base.GetAddressBytes()) + 16 + (uint)index);
        var v6 = V6Prefix.GetAddressBytes();
        v4.CopyTo(v6, 12);
        return new Device
        {
            Id = Guid.CreateVersion7(now),
            UserId = user.Id,
            Name = $"laptop-{index:D5}",
            MachineKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            NodeKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            VirtualIPv4 = new IPAddress(v4),
            VirtualIPv6 = new IPAddress(v6),
            CreatedAt = now.AddDays(-30),
            LastSeenAt = now.AddMinutes(-(index % 1440)),
            KeyExpiresAt = now.AddDays(150),
            Os = index % 3 == 0 ? "Windows 11 (10.0.22631)" : "Linux 6.1 (Debian GNU/Linux 12)",
            AgentVersion = "0.9.0",
        };
    }

    private static Network NewNetwork(int index, string name, Guid ownerId, string planId, NetworkType type, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        NetworkId = $"{900 - index / 1000:D3}-{index / 10 % 100 + 100:D3}-{index % 1000 + 100:D3}",
        Name = name,
        Type = type,
        JoinPolicy = JoinPolicy.Open,
        OwnerId = ownerId,
        PlanId = planId,
        CreatedAt = now.AddDays(-index % 60),
        ConcurrencyStamp = Guid.NewGuid(),
    };

    private static Membership NewMembership(Network network, Guid userId, MemberRole role, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        NetworkId = network.Id,
        UserId = userId,
        Role = role,
        HubRole = role == MemberRole.Owner ? HubRole.Hub : HubRole.Spoke,
        Status = MemberStatus.Active,
        CreatedAt = now,
        UpdatedAt = now,
    };

    private static Subscription NewSubscription(Guid userId, string planId, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        UserId = userId,
        PlanId = planId,
        Status = SubscriptionStatus.Active,
        StartedAt = now.AddDays(-30),
    };
}
