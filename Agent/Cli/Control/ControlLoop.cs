using HamachiCloud.Agent.Engine.Control;
using HamachiCloud.Protocol.Control;
using HamachiCloud.Protocol.Crypto;

namespace HamachiCloud.Agent.Control;

/// <summary>
/// Keeps one logged-in control connection: connect, log in, report discovery, wait until it
/// closes, back off (jittered, <see cref="ReconnectBackoff"/>), repeat — until cancelled. Tunnels
/// are not touched on loss: the data plane keeps running on the last map.
/// </summary>
public sealed class ControlLoop
{
    private readonly Func<ControlConnection> _connect;
    private readonly SigningKey _machineKey;
    private readonly Func<DiscoveryReport> _discovery;
    private readonly ReconnectBackoff _backoff;
    private readonly Random _random;
    private readonly TimeProvider _time;
    private readonly TextWriter _log;
    private volatile ControlConnection? _current;

    public ControlLoop(Func<ControlConnection> connect, SigningKey machineKey, Func<DiscoveryReport> discovery, ReconnectBackoff backoff,
        Random random, TimeProvider time, TextWriter log)
    {
        _connect = connect;
        _machineKey = machineKey;
        _discovery = discovery;
        _backoff = backoff;
        _random = random;
        _time = time;
        _log = log;
    }

    /// <summary>The logged-in connection, or null while disconnected.</summary>
    public ControlConnection? Current => _current;

    /// <summary>Why the last attempt failed (null while connected).</summary>
    public string? LastError { get; private set; }

    public DateTimeOffset? ConnectedSince { get; private set; }

    public async Task RunAsync(CancellationToken ct)
    {
        var attempt = 0;
        while (!ct.IsCancellationRequested)
        {
            var connection = _connect();
            try
            {
                var refusal = await connection.LoginAsync(_machineKey, ct);
                if (refusal is null)
                {
                    attempt = 0;
                    LastError = null;
                    ConnectedSince = _time.GetUtcNow();
                    _current = connection;
                    _log.WriteLine("hamachi: control channel logged in");
                    await connection.ReportDiscoveryAsync(_discovery(), ct);
                    var error = await connection.Closed.WaitAsync(ct);
                    LastError = $"control channel lost: {error?.Message ?? "closed by the server"}";
                }
                else
                {
                    LastError = $"login refused: {refusal}";
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await GoodbyeAsync(connection);
                return;
            }
            catch (Exception e)
            {
                LastError = $"server unreachable: {e.Message}";
            }
            finally
            {
                _current = null;
                ConnectedSince = null;
                if (!ct.IsCancellationRequested)
                {
                    await connection.DisposeAsync();
                }
            }

            var delay = _backoff.Delay(attempt++, _random);
            _log.WriteLine($"hamachi: {LastError}; retrying in {delay.TotalSeconds:0.0} s (tunnels stay up)");
            try
            {
                await Task.Delay(delay, _time, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task GoodbyeAsync(ControlConnection connection)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await connection.GoodbyeAsync(timeout.Token);
        }
        catch (Exception)
        {
            // best effort: without a goodbye the server asks our peers to verify us
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }
}
