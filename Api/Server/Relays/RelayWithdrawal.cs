using Microsoft.Extensions.Options;

namespace HamachiCloud.Api.Relays;

/// <summary>
/// Takes relays that stopped heartbeating out of the agents' maps: every few seconds (a quarter of
/// <c>Relays:LiveSeconds</c>, 1..15 s) this node reads the live relays, and when one that was live is not any
/// more, every connected account gets a new map (which lists only live relays). A relay coming back is
/// announced by its heartbeat (see <see cref="RelayEndpoints"/>). Each node keeps its own view, so with
/// several nodes each one queues the change; map building settles concurrent versions.
/// </summary>
internal sealed class RelayWithdrawal(
    IServiceScopeFactory scopes,
    ControlPlane.MapChangeQueue changes,
    IOptions<RelaysOptions> options,
    TimeProvider clock,
    ILogger<RelayWithdrawal> log) : BackgroundService
{
    private HashSet<Guid>? _live;

    public static TimeSpan Interval(RelaysOptions o) => TimeSpan.FromSeconds(Math.Clamp(o.LiveSeconds / 4, 1, 15));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval(options.Value), clock);
        do
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                log.LogError(e, "relay liveness check failed; retrying at the next one");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One check; returns the relays that dropped out since the last one.</summary>
    public async Task<IReadOnlyList<Guid>> CheckAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HamachiDbContext>();
        var live = (await RelayDirectory.LiveAsync(db, clock.GetUtcNow(), options.Value.LiveSeconds, ct)).Select(r => r.Id).ToHashSet();
        var gone = _live is null ? [] : _live.Where(id => !live.Contains(id)).ToList();
        _live = live;
        if (gone.Count == 0)
        {
            return gone;
        }

        var users = await db.Devices.Where(d => d.ConnectionId != null).Select(d => d.UserId).Distinct().ToListAsync(ct);
        log.LogWarning("relay(s) {Relays} missed heartbeats for {Seconds} s: withdrawn from the maps of {Accounts} connected account(s)",
            string.Join(", ", gone), options.Value.LiveSeconds, users.Count);
        foreach (var user in users)
        {
            changes.AccountChanged(user);
        }

        return gone;
    }
}
