using Bunit;
using HamachiCloud.Portal.Components.Devices;
using HamachiCloud.Protocol.Control;
using MudBlazor;

namespace HamachiCloud.Portal.Tests.Devices;

/// <summary>Device names, the key-expiry badge and NAT words.</summary>
public sealed class DeviceChecksTests : QueuedApiTestContext
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("", "Enter a name.")]
    [InlineData("  ", "Enter a name.")]
    [InlineData("lap\ttop", "No control characters.")]
    [InlineData("laptop", null)]
    [InlineData("  laptop  ", null)]
    public void Device_names_are_checked_like_the_Api_does(string name, string? message) =>
        Assert.Equal(message, NameCheck.Error(name));

    [Fact]
    public void A_65_character_name_is_refused_with_its_length() =>
        Assert.Equal("At most 64 characters (this is 65).", NameCheck.Error(new string('d', 65)));

    [Theory]
    [InlineData(24 * 30, null, null)]
    [InlineData(24 * 7, null, null)]
    [InlineData(24 * 5 + 3, "Key expires in 5 d", Color.Warning)]
    [InlineData(3.5, "Key expires in 3 h", Color.Warning)]
    [InlineData(0, "Expired", Color.Error)]
    [InlineData(-48, "Expired", Color.Error)]
    public void The_key_expiry_badge_shows_under_7_days_and_when_expired(double hoursLeft, string? text, Color? color)
    {
        var badge = KeyExpiry.Badge(Now.AddHours(hoursLeft), Now);
        Assert.Equal(text, badge?.Text);
        Assert.Equal(color, badge?.Color);
    }

    [Fact]
    public void No_expiry_no_badge() => Assert.Null(KeyExpiry.Badge(null, Now));

    [Fact]
    public void The_badge_component_renders_the_text_with_the_date_in_its_tooltip()
    {
        var soon = Render<KeyExpiryBadge>(p => p.Add(c => c.ExpiresAt, Now.AddDays(2)).Add(c => c.Now, Now));
        var chip = soon.Find("[data-testid=key-expiry]");
        Assert.Contains("Key expires in 2 d", chip.TextContent, StringComparison.Ordinal);
        Assert.Equal("2026-12-05 12:00 UTC", chip.GetAttribute("title"));
        var later = Render<KeyExpiryBadge>(p => p.Add(c => c.ExpiresAt, Now.AddDays(90)).Add(c => c.Now, Now));
        Assert.Empty(later.FindAll("[data-testid=key-expiry]"));
    }

    [Fact]
    public void Nat_reports_read_in_words()
    {
        Assert.Equal("Not measured yet", DeviceDisplay.Nat(null));
        Assert.Equal("UDP blocked", DeviceDisplay.Nat(new NatReport(UdpBlocked: true)));
        Assert.Equal("Symmetric", DeviceDisplay.Nat(new NatReport(EndpointIndependentMapping: false)));
        Assert.Equal("Cone (port-restricted)", DeviceDisplay.Nat(new NatReport(EndpointIndependentMapping: true, EndpointIndependentFiltering: false)));
    }
}
