using HamachiCloud.Migrations;

namespace HamachiCloud.Api.Tests;

/// <summary>An Api with billing set up against a <see cref="StripeStandIn"/> started with the world (loopback only).</summary>
public abstract class BillingWorld : ApiWorld
{
    public StripeStandIn Stripe { get; } = new();

    protected override IReadOnlyDictionary<string, string>? Settings => Stripe.Settings();
}

public sealed class SqliteBillingWorld : BillingWorld, IDisposable
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public void Dispose() => Stripe.Dispose();
}

public sealed class PostgresBillingWorld : BillingWorld, IDisposable
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;

    public void Dispose() => Stripe.Dispose();
}
