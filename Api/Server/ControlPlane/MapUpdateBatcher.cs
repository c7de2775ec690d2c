using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.ControlPlane;

/// <summary>
/// The tick: every <see cref="ControlPlaneOptions.BatchIntervalMilliseconds"/> (a TimeProvider
/// timer) it drains <see cref="MapChangeQueue"/> and lets <see cref="MapPublisher"/> send one
/// update per affected device, so N members joining in one tick cost O(N) messages per tick,
/// not O(N²); then <see cref="Live.PortalPublisher"/> pushes the Portal's member lists from the same
/// batch. A failing tick is logged and the loop goes on.
/// </summary>
internal sealed class MapUpdateBatcher(
    MapChangeQueue queue,
    IServiceScopeFactory scopes,
    IOptions<ControlPlaneOptions> options,
    TimeProvider clock,
    ILogger<MapUpdateBatcher> log) : BackgroundService, IDisposable
{
    private readonly SemaphoreSlim _flush = new(1, 1);

    /// <summary>One tick now (the loop calls it; tests call it to control batching). Returns the messages sent.</summary>
    public async Task<int> FlushAsync(CancellationToken ct)
    {
        await _flush.WaitAsync(ct);
        try
        {
            var batch = queue.Drain(clock.GetUtcNow());
            if (batch.IsEmpty)
            {
                return 0;
            }

            await using var scope = scopes.CreateAsyncScope();
            int sent;
            try
            {
                sent = await scope.ServiceProvider.GetRequiredService<MapPublisher>().PublishAsync(batch, ct);
            }
            catch (DbUpdateException e)
            {
                // A race on the stored map states (a login wrote the device's first map meanwhile): nothing of this
                // tick was saved, so it is tried again at the next tick with the rows as they are now, not lost.
                log.LogWarning(e, "network map tick hit a concurrent write; its changes go to the next tick");
                queue.Requeue(batch);
                return 0;
            }

            try
            {
                // The Portal's live pushes come second: agents' maps are not delayed by them, nor lost when they fail.
                await scope.ServiceProvider.GetRequiredService<Live.PortalPublisher>().PublishAsync(batch, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "portal live updates of this tick failed; the agents' maps were sent");
            }

            return sent;
        }
        finally
        {
            _flush.Release();
        }
    }

    public override void Dispose()
    {
        _flush.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.BatchIntervalMilliseconds), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await FlushAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "network map tick failed; the next tick goes on");
            }
        }
    }
}
