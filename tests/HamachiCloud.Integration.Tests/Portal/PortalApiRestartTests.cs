using System.Diagnostics;
using HamachiCloud.Api.Contracts.Networks;
using HamachiCloud.Integration.Tests.EndToEnd;
using HamachiCloud.Integration.Tests.Lab;
using HamachiCloud.Protocol.Networks;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace HamachiCloud.Integration.Tests.Portal;

/// <summary>
/// Issue 11, item 7: the circuit recovers after the Api restarts. A network page is open and live; the Api stops for
/// real (<see cref="LabApi.StopAsync"/>), the page says "Reconnecting…" and keeps its rows, and an action that needs the
/// Api shows the Portal's "not reachable" message (never exception text); the Api starts again on the same port and
/// database, and without a reload the page is live again, re-reads what failed, and shows a change made after the
/// restart (the owner's agent coming online).
/// </summary>
[Collection(LabCollection.Name)]
public sealed class PortalApiRestartTests(ITestOutputHelper output)
{
    private const string Test = nameof(PortalApiRestartTests);

    [SkippableFact]
    public async Task The_network_page_says_reconnecting_while_the_Api_is_down_and_is_live_again_after_its_restart()
    {
        await using var lab = await PortalLab.StartAsync(output, agentHosts: 1, portal: true);
        var owner = await LabUser.RegisterAsync(lab.Api, "owner");
        var ownerApi = await LabApi.SignInAsync(lab.Api.Factory, owner.Email, owner.Password);
        var ownerId = (await ownerApi.GetMeAsync()).Id;
        var network = await ownerApi.CreateNetworkAsync(new CreateNetworkRequest("office", NetworkType.Mesh, JoinPolicy.Open, null));
        // Enrolled (a device of the owner's, so in the network) but its daemon is started only after the restart.
        using var server = await LabAgent.EnrolAsync(lab.AgentHost(1), lab.AgentServerUrl, ownerApi, "server", output);

        var page = await lab.Browser.NewPageAsync("owner");
        await PortalSession.SignInAsync(page, lab, owner, $"/networks/{network.Id}");
        var live = page.GetByTestId("live-status");
        var device = page.Locator($"[data-member='{ownerId}'] [data-device='{server.Enrolment.DeviceId}']");
        await Assertions.Expect(live).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 20_000 });
        await Assertions.Expect(live).ToContainTextAsync("Live");
        await Assertions.Expect(device).ToHaveAttributeAsync("data-online", "false");
        await page.EvaluateAsync("() => { window.__restartPage = 'not reloaded'; }");

        // 1. The Api stops: the page says so and keeps its rows.
        var down = Stopwatch.StartNew();
        await lab.Api.StopAsync();
        output.WriteLine($"Api stopped in {down.ElapsedMilliseconds} ms");
        await Assertions.Expect(live).ToHaveAttributeAsync("data-state", "reconnecting", new() { Timeout = 15_000 });
        await Assertions.Expect(page.GetByTestId("live-reconnecting")).ToContainTextAsync("Reconnecting…");
        await Assertions.Expect(device).ToBeVisibleAsync();

        // An action that needs the Api (the Connections tab reads the paths) gets the Portal's message, not a crash.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Connections" }).ClickAsync();
        var alert = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "not reachable right now" });
        await Assertions.Expect(alert).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Screenshots.TakeAsync(page, Test, "api-down");
        await AssertNoRawErrorAsync(page);

        // 2. The Api starts again (same port, database and keys): live again without a reload; the failed read is redone.
        lab.Api.Restart();
        var back = Stopwatch.StartNew();
        await Assertions.Expect(live).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 30_000 });
        output.WriteLine($"page live {back.ElapsedMilliseconds} ms after the Api restarted");
        await Assertions.Expect(page.GetByTestId("live-reconnecting")).ToHaveCountAsync(0);
        await Assertions.Expect(alert).ToHaveCountAsync(0, new() { Timeout = 10_000 });
        await Assertions.Expect(page.GetByTestId("connections-empty")).ToBeVisibleAsync();

        // 3. A change after the restart arrives live: the owner's agent logs in and its device turns online in the row.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Members" }).ClickAsync();
        server.Start();
        var online = Stopwatch.StartNew();
        await Assertions.Expect(device).ToHaveAttributeAsync("data-online", "true", new() { Timeout = 10_000 });
        output.WriteLine($"device online in the row {online.ElapsedMilliseconds} ms after its daemon logged in to the restarted Api");
        await Assertions.Expect(page.Locator($"[data-member='{ownerId}']")).ToHaveAttributeAsync("data-online", "true");
        Assert.Equal("not reloaded", await page.EvaluateAsync<string?>("() => window.__restartPage ?? null"));
        await Screenshots.TakeAsync(page, Test, "api-back");
        await AssertNoRawErrorAsync(page);
    }

    /// <summary>No exception text and no unhandled-error panel: failures read as the Portal's own sentences.</summary>
    private static async Task AssertNoRawErrorAsync(IPage page)
    {
        var text = await page.Locator("body").InnerTextAsync();
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Something went wrong", text, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#blazor-error-ui")).Not.ToBeVisibleAsync();
    }
}
