using HamachiCloud.Api.ControlPlane;
using HamachiCloud.Api.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace HamachiCloud.Api.Bans;

/// <summary>
/// Tells every Api node that a ban changed, so each reloads its <see cref="BanList"/>, ends its matching live control
/// sessions (<see cref="LiveSessions.CheckNow"/>) and answers its relays' waiting ban polls, within a second.
/// With <c>Redis:Connection</c> set the message goes out on the Redis channel <see cref="Channel"/> (every node
/// subscribes); without it (the embedded default, one node) it stays in the process. A node that missed a message
/// still catches up within <see cref="BanList.MaxAge"/> (its periodic database check).
/// </summary>
internal sealed class BanBus(BanList bans, LiveSessions sessions, IOptions<RedisOptions> redis, ApiNodeIdentity node, ILogger<BanBus> log)
    : IHostedService, IAsyncDisposable
{
    public const string Channel = "hamachi:bans";

    private ConnectionMultiplexer? _redis;

    /// <summary>A ban was created, edited or lifted here: act on it here now and tell the other nodes.</summary>
    public async Task PublishAsync()
    {
        Apply();
        if (_redis is { } r)
        {
            try
            {
                await r.GetSubscriber().PublishAsync(RedisChannel.Literal(Channel), node.Id.ToString());
            }
            catch (Exception e) when (e is RedisException or TimeoutException)
            {
                log.LogWarning("ban change not published to Redis ({Error}); other nodes apply it within {Seconds} s", e.Message, BanList.MaxAge.TotalSeconds);
            }
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(redis.Value.Connection))
        {
            return;
        }

        var config = ConfigurationOptions.Parse(redis.Value.Connection);
        config.AbortOnConnectFail = false; // keeps reconnecting; the periodic check covers the gap
        _redis = await ConnectionMultiplexer.ConnectAsync(config);
        await _redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(Channel), (_, message) =>
        {
            if (message != node.Id.ToString())
            {
                Apply();
            }
        });
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    private void Apply()
    {
        bans.Invalidate();
        sessions.CheckNow();
    }
}
