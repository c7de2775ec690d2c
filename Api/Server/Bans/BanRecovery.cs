using HamachiCloud.Api.Hosting;

namespace HamachiCloud.Api.Bans;

/// <summary>
/// <c>HamachiCloud.Api lift-bans</c> (<c>./run.sh lift-bans</c>): lifts every acting ban (range, account, device), audited, and
/// prints what it lifted. The way back when a ban locked out everyone, staff included (e.g. a
/// <c>0.0.0.0/0</c> confirmed by mistake), without editing the database. Other nodes apply it within
/// <see cref="BanList.MaxAge"/>.
/// </summary>
internal static class BanRecovery
{
    public const string Command = "lift-bans";

    public static async Task<int> LiftAllAsync(IServiceProvider root, CancellationToken ct = default)
    {
        await using var scope = root.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<HamachiDbContext>();
        var console = sp.GetRequiredService<OperatorConsole>();
        var audit = sp.GetRequiredService<Audit.AuditLog>();
        var now = sp.GetRequiredService<TimeProvider>().GetUtcNow();
        var bans = await db.Bans.Where(b => b.LiftedAt == null).OrderBy(b => b.CreatedAt).ToListAsync(ct);
        foreach (var ban in bans)
        {
            console.Write($"lifting ban {BanService.Describe(ban)} ({ban.Reason})\n");
            audit.Record(null, "ban.lifted", "ban", ban.Id, $"{BanService.Describe(ban)}: lifted by the operator's lift-bans");
            ban.LiftedAt = now;
            ban.UpdatedAt = BanService.Later(ban.UpdatedAt, now);
        }

        await db.SaveChangesAsync(ct);
        sp.GetRequiredService<BanList>().Invalidate();
        console.Write(bans.Count == 0 ? "no bans to lift\n" : $"lifted {bans.Count} ban(s); other Api nodes apply it within {BanList.MaxAge.TotalSeconds:0} s\n");
        return bans.Count;
    }
}
