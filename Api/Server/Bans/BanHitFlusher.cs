using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Bans;

/// <summary>
/// Every <c>Bans:HitFlushSeconds</c> (and at shutdown): adds this node's counted refusals to the ban rows, one
/// <c>UPDATE … SET HitCount = HitCount + n, LastHitAt = …</c> per ban hit, so concurrent nodes never lose each
/// other's counts. <c>UpdatedAt</c> is not touched: a hit is not a change of the ban. A failed flush puts the counts back.
/// </summary>
internal sealed class BanHitFlusher(BanHits hits, IServiceScopeFactory scopes, IOptions<BanOptions> options, TimeProvider clock, ILogger<BanHitFlusher> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.HitFlushSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            await FlushAsync(stoppingToken);
        }

        await FlushAsync(CancellationToken.None);
    }

    /// <summary>Writes the pending counts now; returns how many bans were updated.</summary>
    public async Task<int> FlushAsync(CancellationToken ct)
    {
        var pending = hits.Drain();
        if (pending.Count == 0)
        {
            return 0;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<HamachiDbContext>();
            foreach (var (id, (n, last)) in pending)
            {
                await db.Bans.Where(b => b.Id == id).ExecuteUpdateAsync(
                    s => s.SetProperty(b => b.HitCount, b => b.HitCount + n)
                        .SetProperty(b => b.LastHitAt, b => b.LastHitAt == null || b.LastHitAt < last ? last : b.LastHitAt),
                    ct);
            }

            return pending.Count;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.LogWarning(e, "writing ban hit counts failed; keeping them for the next flush");
            foreach (var (id, (n, last)) in pending)
            {
                hits.Count(id, last, n);
            }

            return 0;
        }
    }
}
