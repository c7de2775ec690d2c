using System.Net;
using HamachiCloud.Api.SignIn;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HamachiCloud.Api.Tests;

/// <summary>The throttle's arithmetic on a fake clock: free failures, doubling waits, caps, forgetting, familiar addresses.</summary>
public sealed class SignInThrottleUnitTests
{
    private static readonly IPAddress Attacker = IPAddress.Parse("203.0.113.66");
    private static readonly IPAddress Home = IPAddress.Parse("198.51.100.7");
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));

    private SignInThrottle Create(int accountFree = 5, int accountMax = 60, int addressFree = 10, int addressMax = 900) =>
        new(_clock, Options.Create(new SignInThrottleOptions
        {
            AccountFreeFailures = accountFree,
            AccountMaxDelaySeconds = accountMax,
            AddressFreeFailures = addressFree,
            AddressMaxDelaySeconds = addressMax,
        }));

    [Fact]
    public void Waits_double_after_the_free_failures_up_to_the_account_cap()
    {
        var throttle = Create(addressFree: 1000);
        var key = SignInThrottle.SignInKey("Victim@Example.test ");
        var waits = new List<double>();
        for (var i = 0; i < 12; i++)
        {
            Assert.Equal(TimeSpan.Zero, throttle.Wait(key, Attacker)); // each attempt comes once the wait is over
            throttle.Failed(key, Attacker);
            var wait = throttle.Wait(key, Attacker);
            waits.Add(wait.TotalSeconds);
            _clock.Advance(wait);
        }

        Assert.Equal([0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60], waits);
        throttle.Failed(key, Attacker);
        Assert.Equal(TimeSpan.FromSeconds(60), throttle.Wait(SignInThrottle.SignInKey("VICTIM@example.test"), Attacker)); // same account, any spelling
    }

    [Fact]
    public void A_familiar_address_skips_the_account_wait_but_not_its_own_and_counts_are_forgotten()
    {
        var throttle = Create(accountFree: 2, addressFree: 3);
        var key = SignInThrottle.SignInKey("owner@example.test");
        throttle.Succeeded(key, Home);
        for (var i = 0; i < 5; i++)
        {
            throttle.Failed(key, Attacker);
        }

        Assert.True(throttle.Wait(key, Attacker) > TimeSpan.Zero);
        Assert.True(throttle.Wait(key, IPAddress.Parse("192.0.2.99")) > TimeSpan.Zero); // a new address waits for the account
        Assert.Equal(TimeSpan.Zero, throttle.Wait(key, Home));                           // home does not
        Assert.True(throttle.Wait(SignInThrottle.SignInKey("other@example.test"), Attacker) > TimeSpan.Zero); // the attacker's address waits for any account

        // Step-up keys get no familiar exemption.
        var stepUp = SignInThrottle.StepUpKey(Guid.NewGuid());
        throttle.Succeeded(stepUp, Home);
        throttle.Failed(stepUp, Home);
        throttle.Failed(stepUp, Home);
        Assert.True(throttle.Wait(stepUp, Home) > TimeSpan.Zero);

        _clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal(TimeSpan.Zero, throttle.Wait(key, Attacker));
        throttle.Failed(key, Attacker);
        Assert.Equal(TimeSpan.Zero, throttle.Wait(key, Attacker)); // counting starts over
    }

    [Fact]
    public void Addresses_are_counted_by_ipv4_and_ipv6_slash_64()
    {
        Assert.Equal("addr:192.0.2.1", SignInThrottle.AddressKey(IPAddress.Parse("::ffff:192.0.2.1")));
        Assert.Equal(SignInThrottle.AddressKey(IPAddress.Parse("2001:db8:1:2::1")), SignInThrottle.AddressKey(IPAddress.Parse("2001:db8:1:2:ffff::9")));
        Assert.NotEqual(SignInThrottle.AddressKey(IPAddress.Parse("2001:db8:1:2::1")), SignInThrottle.AddressKey(IPAddress.Parse("2001:db8:1:3::1")));
    }

    [Fact]
    public void Options_out_of_range_are_refused_naming_the_key()
    {
        var result = new SignInThrottleOptions.Validator().Validate(null, new SignInThrottleOptions { AccountMaxDelaySeconds = 0, BaseDelaySeconds = 5000 });
        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains("SignInThrottle:AccountMaxDelaySeconds", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.Contains("SignInThrottle:BaseDelaySeconds", StringComparison.Ordinal));
    }
}
