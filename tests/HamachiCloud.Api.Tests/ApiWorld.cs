using HamachiCloud.Migrations;

namespace HamachiCloud.Api.Tests;

/// <summary>
/// One Api per test class and provider, created on first use inside a test (so a missing
/// PostgreSQL skips or, in CI, fails that test rather than the fixture).
/// </summary>
public abstract class ApiWorld : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ApiFactory? _factory;

    protected abstract DatabaseProvider Provider { get; }

    /// <summary>Extra configuration keys for this world's Api (null: the test defaults of <see cref="ApiFactory"/>).</summary>
    protected virtual IReadOnlyDictionary<string, string>? Settings => null;

    public async Task<ApiFactory> GetAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (_factory is null)
            {
                var factory = await ApiFactory.CreateAsync(Provider, Settings);
                Configure(factory);
                _ = factory.Server; // start now: migrations, clients
                _factory = factory;
            }

            return _factory;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Test registrations for this world's Api (e.g. a log capture), before it starts.</summary>
    protected virtual void Configure(ApiFactory factory)
    {
    }

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        _gate.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteWorld : ApiWorld
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresWorld : ApiWorld
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
