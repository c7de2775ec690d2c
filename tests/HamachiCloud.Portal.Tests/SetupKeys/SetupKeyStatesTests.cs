using HamachiCloud.Api.Contracts.SetupKeys;
using HamachiCloud.Portal.Components.SetupKeys;

namespace HamachiCloud.Portal.Tests.SetupKeys;

/// <summary>A setup key's state as the list shows it, and which ended keys stay visible.</summary>
public sealed class SetupKeyStatesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static SetupKeyDto Key(bool reusable = false, int uses = 0, double expiresInHours = 24, DateTimeOffset? revokedAt = null) =>
        new(Guid.NewGuid(), "k", "hc_key_ab", reusable, Now.AddDays(-100), Now.AddHours(expiresInHours), uses, revokedAt);

    [Fact]
    public void States_follow_the_Api_rules_revoked_then_expired_then_used()
    {
        Assert.Equal(SetupKeyState.Active, SetupKeyStates.Of(Key(), Now));
        Assert.Equal(SetupKeyState.Used, SetupKeyStates.Of(Key(uses: 1), Now));
        Assert.Equal(SetupKeyState.Active, SetupKeyStates.Of(Key(reusable: true, uses: 7), Now));
        Assert.Equal(SetupKeyState.Expired, SetupKeyStates.Of(Key(uses: 1, expiresInHours: 0), Now)); // expires exactly now: refused by the Api
        Assert.Equal(SetupKeyState.Revoked, SetupKeyStates.Of(Key(expiresInHours: -5, revokedAt: Now.AddHours(-6)), Now));
    }

    [Fact]
    public void Keys_that_ended_less_than_30_days_ago_stay_visible()
    {
        Assert.True(SetupKeyStates.IsRecent(Key(expiresInHours: -24 * 29), Now));
        Assert.False(SetupKeyStates.IsRecent(Key(expiresInHours: -24 * 31), Now));
        Assert.True(SetupKeyStates.IsRecent(Key(expiresInHours: -24 * 60, revokedAt: Now.AddDays(-2)), Now));
        Assert.False(SetupKeyStates.IsRecent(Key(revokedAt: Now.AddDays(-40)), Now));
        Assert.Equal(Now.AddDays(-2), SetupKeyStates.EndedAt(Key(revokedAt: Now.AddDays(-2)), Now));
        Assert.Null(SetupKeyStates.EndedAt(Key(uses: 1), Now));
    }
}
