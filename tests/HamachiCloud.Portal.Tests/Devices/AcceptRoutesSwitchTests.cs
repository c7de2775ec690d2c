using System.Net;
using Bunit;
using HamachiCloud.Api.Contracts.Devices;
using HamachiCloud.Portal.Components.Devices;

namespace HamachiCloud.Portal.Tests.Devices;

/// <summary>The devices page's switch for public gateway routes: shows the device's state and PUTs the owner's choice.</summary>
public sealed class AcceptRoutesSwitchTests : QueuedApiTestContext
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static DeviceDto Device(bool accept) =>
        new(Guid.Parse("00000000-0000-0000-0000-0000000000d1"), "laptop", "100.64.0.7", "fd48:616d:6163::7", new string('a', 64), Now.AddDays(-3), Now, null,
            AcceptPublicRoutes: accept);

    [Fact]
    public void Switching_it_on_puts_accept_true_and_the_list_shows_it_accepted()
    {
        Api.Answer(HttpStatusCode.OK, new List<DeviceDto> { Device(false) });
        var cut = Render<DevicesOverview>();
        cut.WaitForAssertion(() => Assert.Contains("Not accepted", cut.Find("[data-testid=device-list]").TextContent, StringComparison.Ordinal));

        Api.Answer(HttpStatusCode.OK, Device(true));
        Api.Answer(HttpStatusCode.OK, new List<DeviceDto> { Device(true) });
        cut.Find("input[aria-label='Accept public gateway routes on laptop']").Change(true);

        cut.WaitForAssertion(() => Assert.Equal(3, Api.Requests.Count));
        var put = Api.Requests[1];
        Assert.Equal((HttpMethod.Put, "/api/v1/devices/00000000-0000-0000-0000-0000000000d1/accept-routes"), (put.Method, put.Path));
        Assert.Contains("\"accept\":true", put.Body, StringComparison.Ordinal);
        cut.WaitForAssertion(() => Assert.Contains("Accepted", cut.Find("[data-testid=device-list]").TextContent, StringComparison.Ordinal));
    }
}
