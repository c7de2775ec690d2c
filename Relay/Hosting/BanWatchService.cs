using System.Net.Http.Json;
using HamachiCloud.Protocol.Relay;
using Microsoft.Extensions.Options;

namespace HamachiCloud.Relay.Hosting;

/// <summary>
/// Holds a long poll to the Api (<c>POST /api/v1/relays/bans</c>, the relays' secret) so that ban changes are pushed to
/// this relay within a second: the Api answers when the list differs from the version held here or a ban changes on
/// any Api node, else after <see cref="RelayBanPoll.MaxWaitSeconds"/>; the answer is applied at once
/// (<see cref="RelayBanState"/>: matching bindings removed, their flows stop) and the next poll starts. A failed poll
/// is retried after <see cref="RetryDelay"/>; the heartbeat's answer carries the list too.
/// </summary>
public sealed class BanWatchService(IOptions<RelayOptions> options, RelayBanState state, TimeProvider time, ILogger<BanWatchService> logger)
    : BackgroundService
{
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.ApiUrl))
        {
            return;
        }

        using var http = new HttpClient { BaseAddress = new Uri(o.ApiUrl), Timeout = TimeSpan.FromSeconds(RelayBanPoll.MaxWaitSeconds + 15) };
        http.DefaultRequestHeaders.Add(RelayHeartbeatRequest.SecretHeader, o.RegistrationSecret);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var response = await http.PostAsJsonAsync(RelayBanPoll.Path.TrimStart('/'), new RelayBanPoll(o.Id, state.Version), stoppingToken);
                if (response.IsSuccessStatusCode)
                {
                    var list = await response.Content.ReadFromJsonAsync<RelayBanList>(stoppingToken)
                        ?? throw new System.Text.Json.JsonException("empty ban list");
                    state.Apply(list.Version, list.Bans);
                    continue;
                }

                logger.LogWarning("ban poll to {Api}: HTTP {Status}", o.ApiUrl, (int)response.StatusCode);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
            {
                if (stoppingToken.IsCancellationRequested)
                {
                    return;
                }

                logger.LogWarning("ban poll to {Api} failed: {Error}", o.ApiUrl, e.Message);
            }

            try
            {
                await Task.Delay(RetryDelay, time, stoppingToken);
            }
            catch (TaskCanceledException)
            {
                return;
            }
        }
    }
}
